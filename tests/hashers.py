from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Production's algorithm with few iterations, so that creating a user in a test is not a quarter second.

    The iteration count is stored in each hash, so the web and worker processes the fault tests start,
    on production settings, still verify these passwords (and upgrade them at the first login).
    """

    iterations = 1000
