from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db.models import Q


class AccountBackend(AuthenticationBackend):
    """allauth's email login, loading the profile with the user: every page reads it.

    Organisers sign in to the admin with the username createsuperuser asked them for, or with
    their email in any case (createsuperuser keeps "Grace@example.org" as typed; allauth looks
    up lower case only). The public login form asks for an email only."""

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        password = credentials.get("password")
        if user is not None or not password:
            return user
        lookup = Q()
        if username := credentials.get("username"):
            lookup |= Q(username=username) | Q(email__iexact=username)
        if email := credentials.get("email"):
            lookup |= Q(email__iexact=email)
        if not lookup:
            return None
        for candidate in get_user_model()._default_manager.filter(lookup):
            if candidate.check_password(password) and self.user_can_authenticate(candidate):
                return candidate
        return None

    def get_user(self, user_id):
        user = (
            get_user_model()._default_manager.select_related("profile").filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
