from django import template

from c2c import dates

register = template.Library()

# {{ offer.expires_at|deadline }} → "Tue 8 Dec, 5:00 p.m. EST"; a date means the end of that day.
register.filter("deadline", dates.deadline)
# <time datetime="{{ value|isotime }}">: no microseconds, which HTML does not allow.
register.filter("isotime", dates.machine_readable)
