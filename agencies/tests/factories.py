import factory
from django.contrib.auth import get_user_model
from faker import Faker

from agencies import services
from agencies.models import Agency, LegalBasis, Role

fake = Faker("sv_SE")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Myndighet {n}")
    slug = factory.Sequence(lambda n: f"myndighet-{n}")
    kind = Agency.Kind.MUNICIPALITY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, so the agency's auth group exists exactly as in production.
        return services.agency_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    password = factory.PostGenerationMethodCall("set_password", "korrekt-hast-batteri-42")

    @factory.post_generation
    def agency(self, create, extracted, **kwargs):
        self.save()
        if extracted is not None:
            services.membership_set(user=self, agency=extracted, role=kwargs.get("role", Role.CASEWORKER))


def legal_basis(code: str = "osl-10-2") -> LegalBasis:
    return LegalBasis.objects.get(code=code)


# A fixed TOTP key for the test users that have a second factor (base32, as an authenticator app takes it).
TEST_TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_second_factor(user):
    """Give `user` a confirmed authenticator-app device with TEST_TOTP_KEY; returns the device."""
    from agencies import second_factor

    return second_factor.enrol_with_key(user, base32_key=TEST_TOTP_KEY)


def basis_for(agency, code: str = "osl-10-2") -> LegalBasis:
    """`code` for an authority; for a community partner (outside OSL) what no secrecy covers, "ej-sekretess"."""
    return legal_basis("ej-sekretess" if agency.kind == Agency.Kind.COMMUNITY else code)
