import factory
from faker import Faker

from cases.models import District, IdentityDetails, Individual
from cases.personnummer import fictional

fake = Faker("sv_SE")


class IndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individual

    alias = factory.LazyFunction(lambda: fake.first_name() + " " + fake.last_name()[0])
    birth_year = factory.LazyFunction(lambda: fake.random_int(1985, 2009))
    district = factory.LazyFunction(lambda: District.objects.order_by("?").first())
    notes = ""


class IdentityDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityDetails

    individual = factory.SubFactory(IndividualFactory)
    owner_agency = factory.SelfAttribute("individual.owner_agency")
    personnummer = factory.LazyFunction(lambda: fictional(fake.random, fake.random_int(1985, 2009)))
    full_name = factory.LazyFunction(fake.name)
    address = factory.LazyFunction(fake.street_address)
    phone = factory.LazyFunction(fake.phone_number)
