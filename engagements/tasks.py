from c2c.celery import app
from engagements import services


@app.task
def flag_overdue_payments():
    return services.flag_overdue_payments()
