"""Security headers that Django's SecurityMiddleware does not set."""


class PermissionsPolicyMiddleware:
    """No page of the suite needs the camera, microphone, geolocation or payment APIs."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response
