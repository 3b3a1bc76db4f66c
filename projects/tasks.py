from c2c.celery import app
from projects import services


@app.task
def close_expired_projects():
    return services.close_expired_projects()


@app.task
def chase_applications():
    return services.chase_applications()
