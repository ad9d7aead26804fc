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


def group(owner, user, name=None, **kw):
    from cases import services

    return services.group_create(acting_user=user, name=name or fake.unique.last_name() + "-nätverket", **kw)


def membership(user, individual, grp, **kw):
    from cases import services
    from cases.models import GroupMembership

    defaults = dict(
        role=GroupMembership.Role.CORE,
        source_type=GroupMembership.SourceType.OBSERVATION,
        evidence="Iakttagen tillsammans med gruppens ledare vid tre tillfällen (fiktivt).",
        confidence=GroupMembership.Confidence.PROBABLE,
    )
    return services.membership_record(acting_user=user, individual=individual, group=grp, **{**defaults, **kw})


def incident(user, **kw):
    from django.utils import timezone

    from cases import services
    from cases.models import Incident

    defaults = dict(kind=Incident.Kind.SHOOTING, occurred_at=timezone.now(), place="Fiktiv plats")
    return services.incident_record(acting_user=user, **{**defaults, **kw})


def exit_case(user, individual, **kw):
    from cases import services

    return services.case_open(acting_user=user, individual=individual, **kw)


def consent(
    user, individual, agencies, categories=("case", "note", "threat", "needs", "intervention", "minutes"), **kw
):
    from datetime import timedelta

    from django.utils import timezone

    from cases import services

    defaults = dict(
        purpose="Stöd för att lämna kriminalitet (fiktivt)",
        valid_until=timezone.localdate() + timedelta(days=180),
        document_reference="Pärm 3, flik 12 (fiktiv)",
    )
    return services.consent_record(
        acting_user=user, individual=individual, agencies=agencies, categories=list(categories), **{**defaults, **kw}
    )


def give_task(**fields):
    """services.task_add as a caseworker uses it: a task for another agency goes on a basis that fits it (the
    receiver's usual one, agencies.tests.factories.basis_for) with an assessment, unless the test names one."""
    from agencies import access
    from agencies.tests.factories import basis_for
    from cases import services

    actor = access.require_actor(fields["acting_user"])
    if fields["assignee_agency"].pk != actor.agency_id and "legal_basis" not in fields:
        fields["legal_basis"] = basis_for(fields["assignee_agency"])
        fields.setdefault("assessment", "Uppgiften behövs för samverkan i ärendet (fiktivt).")
    return services.task_add(**fields)


def share_plan(record, to_agency, by):
    """services.plan_share as the joint plan is shared: to a participant, on its usual basis, with an assessment."""
    from agencies.tests.factories import basis_for
    from cases import services

    return services.plan_share(
        record=record,
        to_agency=to_agency,
        legal_basis=basis_for(to_agency),
        assessment="Den gemensamma planen behövs för samordningen (fiktivt).",
        acting_user=by,
    )
