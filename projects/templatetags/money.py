from django import template

from c2c.money import usd

register = template.Library()
register.filter("usd", usd)
