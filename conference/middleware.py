from conference.views import healthz


class HealthCheckMiddleware:
    """Answers /healthz before anything checks the Host header or redirects to HTTPS.

    Load balancers and container runtimes probe by IP address over plain HTTP; neither
    should need to be in ALLOWED_HOSTS or speak TLS to learn whether a worker is alive.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
