from c2c.celery import app
from reports import records


@app.task
def refresh_business_records():
    return records.refresh_records()
