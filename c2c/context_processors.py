from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SOURCE_CODE_URL": settings.SOURCE_CODE_URL,
        "min_hourly_rate": settings.C2C_MIN_HOURLY_RATE,
    }
