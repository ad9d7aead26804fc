"""The password backend the portal signs in with: Django's own, loading the user's agency with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    """Django's ModelBackend, but the user of a signed-in request comes with its membership and agency.

    Every request of a signed-in user asks the gate who is asking (agencies.access.actor_for), which needs the
    membership and the agency: joined to the user's own query here, that is one query per request instead of
    two. A user without a membership is loaded the same way (the join finds nothing).
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("membership__agency").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
