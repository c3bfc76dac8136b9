from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class AccountBackend(AuthenticationBackend):
    """allauth's email login, loading the profile with the user: every page reads it."""

    def get_user(self, user_id):
        user = (
            get_user_model()._default_manager.select_related("profile").filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
