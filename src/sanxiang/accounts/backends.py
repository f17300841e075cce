from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock check, for logins that come with a request (every login page does).
    A check without a request (a script, a management command) is no network login and has no
    address to lock; axes would raise there, so it is left to the password check alone."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
