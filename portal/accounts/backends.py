from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrPhoneBackend(ModelBackend):
    """Accepts a username or a mobile number in the one login field."""

    def get_user(self, user_id):
        # Every signed-in request loads its account here: in one query with the roles'
        # flags, the person's own record and the unread count (portal.access).
        from portal.access import signed_in_user

        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        login = username.strip()
        user = User.objects.filter(username=login).first()
        if user is None and login:
            digits = login.replace(" ", "").replace("-", "")
            if digits.lstrip("+").isdigit():
                user = User.objects.filter(phone=digits).first()
        if user is None:
            # Run the hasher anyway so timing does not reveal which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
