"""The legal frame's pages: the catalogue, the towns' delegations, the officers; who sees
what, who may change what, and what a refusal or bad input leaves behind."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from enforcement.authority.models import OfficerCertificate, Procedure, TownAuthorisation
from enforcement.authority.selectors import certified_officers, certified_officers_choices
from responsibilities.models import Organisation
from safetyportal.audit.models import AuditEvent
from tests.enforcement.factories import (
    DelegatedItemFactory,
    OfficerCertificateFactory,
    TownAuthorisationFactory,
    days,
)
from tests.factories import OrganisationFactory, TownUserFactory

OFFICIALS = ["county_officer", "leader", "department_official", "town_official"]
OTHERS = ["enterprise_manager", "expert", "outsider"]
ITEMS = reverse("enforcement:authority_items")
IMPORT = reverse("enforcement:authority_item_import")
AUTHORISATIONS = reverse("enforcement:authority_authorisations")
NEW_AUTHORISATION = reverse("enforcement:authority_authorisation_create")
OFFICERS = reverse("enforcement:authority_officers")
NEW_CERTIFICATE = reverse("enforcement:authority_certificate_create")


def authorisation_url(pk, edit=False):
    name = "authority_authorisation_edit" if edit else "authority_authorisation"
    return reverse(f"enforcement:{name}", args=[pk])


# --- the catalogue -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", OFFICIALS)
def test_every_official_reads_the_catalogue_with_its_figures(request, persona, powers, client_for):
    response = client_for(request.getfixturevalue(persona)).get(ITEMS)
    assert response.status_code == 200
    text = response.content.decode()
    assert powers.fine_item.name in text
    # items 3 (fine, general-only, undelegated); certified officers 4 (one expired)
    assert 'data-figure="3"' in text and 'data-figure="4"' in text
    assert "持证执法人员" in text


@pytest.mark.parametrize("persona", OTHERS)
def test_enterprises_experts_and_outsiders_do_not_read_the_catalogue(
    request, persona, powers, client_for
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(ITEMS).status_code == 403
    assert client.get(
        reverse("enforcement:authority_item", args=[powers.fine_item.pk])
    ).status_code in (403, 404)


def test_the_catalogue_is_searched_by_name_or_code_and_filtered(
    county, powers, client_for, town_official
):
    DelegatedItemFactory(
        code="XF-001",
        name="占用疏散通道",
        delegating_department=county.other_department,
        allows_simple=False,
    )
    client = client_for(town_official)
    text = client.get(ITEMS, {"q": "疏散"}).content.decode()
    assert "占用疏散通道" in text and powers.fine_item.name not in text
    text = client.get(ITEMS, {"q": "WT-002"}).content.decode()
    assert powers.general_only_item.name in text and "占用疏散通道" not in text
    text = client.get(ITEMS, {"department": county.other_department.pk}).content.decode()
    assert "占用疏散通道" in text and powers.fine_item.name not in text
    text = client.get(ITEMS, {"procedure": Procedure.SIMPLE}).content.decode()
    assert "占用疏散通道" not in text and powers.general_only_item.name not in text
    assert powers.fine_item.name in text


def test_an_item_page_shows_its_basis_range_and_the_towns_holding_it(
    powers, client_for, county_officer
):
    response = client_for(county_officer).get(
        reverse("enforcement:authority_item", args=[powers.fine_item.pk])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "第九十九条第一项" in text and "小渡口镇" in text and "澧阳街道" in text
    assert (
        client_for(county_officer)
        .get(reverse("enforcement:authority_item", args=[999999]))
        .status_code
        == 404
    )


def test_the_catalogue_and_item_pages_refuse_writes(powers, client_for, county_officer):
    client = client_for(county_officer)
    assert client.post(ITEMS).status_code == 405
    assert (
        client.post(reverse("enforcement:authority_item", args=[powers.fine_item.pk])).status_code
        == 405
    )


# --- the towns' delegations ----------------------------------------------------------------


def test_the_county_office_sees_every_towns_delegation_with_counts_and_flags(
    county, powers, client_for, county_officer
):
    third = OrganisationFactory(code="430723118", name="城头山镇")
    TownAuthorisationFactory(
        town=third, document_number="澧政发〔2023〕3号", valid_from=days(-800), valid_until=days(-1)
    )
    powers.simple_authorisation.valid_until = days(10)
    powers.simple_authorisation.save()
    response = client_for(county_officer).get(AUTHORISATIONS)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('data-testid="authorisation-row"') == 3
    assert "已过期" in text and "即将到期" in text
    assert 'data-figure="2"' in text  # two items in each of the personas' delegations


def test_a_town_sees_only_its_own_delegation_read_only(county, powers, client_for, town_official):
    client = client_for(town_official)
    text = client.get(AUTHORISATIONS).content.decode()
    assert powers.general_authorisation.document_number in text
    assert powers.simple_authorisation.document_number not in text
    assert "登记委托书" not in text
    assert client.get(authorisation_url(powers.simple_authorisation.pk)).status_code == 404
    detail = client.get(authorisation_url(powers.general_authorisation.pk))
    assert detail.status_code == 200 and "authorisation-edit" not in detail.content.decode()


def test_a_department_sees_the_delegations_of_its_items_and_only_its_items(
    county, powers, client_for, department_official
):
    other_item = DelegatedItemFactory(
        code="ZJ-001", name="擅自操作公用燃气阀门", delegating_department=county.other_department
    )
    powers.general_authorisation.items.add(other_item)
    third = OrganisationFactory(code="430723118", name="城头山镇")
    TownAuthorisationFactory(town=third, items=[other_item])
    client = client_for(department_official)
    text = client.get(AUTHORISATIONS).content.decode()
    assert text.count('data-testid="authorisation-row"') == 2  # not 城头山镇's
    detail = client.get(authorisation_url(powers.general_authorisation.pk)).content.decode()
    assert powers.fine_item.name in detail and "擅自操作公用燃气阀门" not in detail


@pytest.mark.parametrize("persona", OTHERS)
def test_others_see_no_delegation(request, persona, powers, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(AUTHORISATIONS).status_code == 403
    assert client.get(authorisation_url(powers.general_authorisation.pk)).status_code == 404


def _authorisation_post(town, items, **changes):
    data = {
        "town": town.pk,
        "document_number": "澧政发〔2026〕8号",
        "procedure_level": Procedure.GENERAL,
        "valid_from": days(-1).isoformat(),
        "valid_until": days(700).isoformat(),
        "items": [item.pk for item in items],
        "note": "",
    }
    data.update(changes)
    if "item_ids" in data:
        data["items"] = data.pop("item_ids")
    return data


def test_the_county_office_registers_a_delegation_and_the_towns_flag_follows(
    county, powers, client_for, county_officer
):
    third = OrganisationFactory(code="430723118", name="城头山镇")
    assert not third.general_procedure_authorised
    client = client_for(county_officer)
    assert client.get(NEW_AUTHORISATION).status_code == 200
    response = client.post(NEW_AUTHORISATION, _authorisation_post(third, [powers.fine_item]))
    authorisation = TownAuthorisation.objects.get(town=third)
    assert response.status_code == 302
    assert response["Location"] == authorisation_url(authorisation.pk)
    assert list(authorisation.items.all()) == [powers.fine_item]
    third.refresh_from_db()
    assert third.general_procedure_authorised
    assert (
        AuditEvent.objects.filter(
            verb="town_authorisation.created", target_id=authorisation.pk
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    "persona", ["town_official", "department_official", "leader", "enterprise_manager"]
)
def test_only_the_county_office_registers_or_edits_a_delegation(
    request, persona, county, powers, client_for
):
    client = client_for(request.getfixturevalue(persona))
    before = TownAuthorisation.objects.count()
    assert client.get(NEW_AUTHORISATION).status_code == 403
    assert (
        client.post(
            NEW_AUTHORISATION, _authorisation_post(county.town, [powers.fine_item])
        ).status_code
        == 403
    )
    edit = authorisation_url(powers.general_authorisation.pk, edit=True)
    assert client.post(
        edit, _authorisation_post(county.town, [powers.fine_item], procedure_level="simple")
    ).status_code in (403, 404)
    assert TownAuthorisation.objects.count() == before
    powers.general_authorisation.refresh_from_db()
    assert powers.general_authorisation.procedure_level == Procedure.GENERAL


def test_delegation_pages_refuse_other_methods(powers, client_for, county_officer):
    client = client_for(county_officer)
    assert client.put(NEW_AUTHORISATION).status_code == 405
    assert (
        client.delete(authorisation_url(powers.general_authorisation.pk, edit=True)).status_code
        == 405
    )
    assert client.post(AUTHORISATIONS).status_code == 405
    assert client.post(authorisation_url(powers.general_authorisation.pk)).status_code == 405


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_until": days(-30).isoformat()}, "委托截止日不能早于起始日"),
        ({"item_ids": []}, "请至少选择一项委托执法事项"),
        ({"document_number": ""}, "提交的信息有误"),
        ({"item_ids": [999999]}, "不在可用的选项中"),
    ],
)
def test_a_bad_delegation_is_refused_in_chinese_and_nothing_is_stored(
    county, powers, client_for, county_officer, changes, message
):
    third = OrganisationFactory(code="430723118", name="城头山镇")
    response = client_for(county_officer).post(
        NEW_AUTHORISATION, _authorisation_post(third, [powers.fine_item], **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TownAuthorisation.objects.filter(town=third).exists()


def test_a_towns_document_number_is_registered_once(county, powers, client_for, county_officer):
    number = powers.general_authorisation.document_number
    response = client_for(county_officer).post(
        NEW_AUTHORISATION,
        _authorisation_post(county.town, [powers.fine_item], document_number=number),
    )
    assert "已登记过文号" in response.content.decode()
    assert TownAuthorisation.objects.filter(town=county.town).count() == 1


def test_editing_a_delegation_to_simple_withdraws_the_general_procedure(
    county, powers, client_for, county_officer
):
    county.town.general_procedure_authorised = True
    county.town.save()
    authorisation = powers.general_authorisation
    client = client_for(county_officer)
    assert client.get(authorisation_url(authorisation.pk, edit=True)).status_code == 200
    data = _authorisation_post(
        county.town,
        [powers.fine_item],
        procedure_level=Procedure.SIMPLE,
        document_number=authorisation.document_number,
        valid_from=authorisation.valid_from.isoformat(),
        valid_until=authorisation.valid_until.isoformat(),
    )
    response = client.post(authorisation_url(authorisation.pk, edit=True), data)
    assert response.status_code == 302
    authorisation.refresh_from_db()
    county.town.refresh_from_db()
    assert authorisation.procedure_level == Procedure.SIMPLE
    assert list(authorisation.items.all()) == [powers.fine_item]
    assert not county.town.general_procedure_authorised
    event = AuditEvent.objects.get(verb="town_authorisation.updated", target_id=authorisation.pk)
    assert event.payload["items"] == {"added": 0, "removed": 1}


# --- officers ------------------------------------------------------------------------------


def test_the_county_office_sees_every_certificate_with_flags(
    county, powers, client_for, county_officer
):
    soon = TownUserFactory(display_name="褚将到", organisation=county.other_town)
    OfficerCertificateFactory(officer=soon, expires_on=days(20))
    text = client_for(county_officer).get(OFFICERS).content.decode()
    assert text.count('data-testid="officer-row"') == 6
    assert "已过期" in text and "即将到期" in text and "冯无证" in text
    assert "持证执法人员" in text and 'data-figure="5"' in text


def test_a_town_sees_its_own_officers_only(county, powers, client_for, town_official):
    text = client_for(town_official).get(OFFICERS).content.decode()
    assert text.count('data-testid="officer-row"') == 3  # 孙镇长, 钱执法, 冯无证
    assert "李街道" not in text and "钱应急" not in text
    assert "登记执法证" not in text and 'data-testid="revoke"' not in text


def test_a_department_sees_its_own_officers_only(county, powers, client_for, department_official):
    text = client_for(department_official).get(OFFICERS).content.decode()
    assert text.count('data-testid="officer-row"') == 1 and "钱应急" in text


@pytest.mark.parametrize("persona", OTHERS)
def test_others_see_no_officers(request, persona, powers, client_for):
    assert client_for(request.getfixturevalue(persona)).get(OFFICERS).status_code == 403


def test_the_officer_list_filters_by_unit_and_state(county, powers, client_for, county_officer):
    client = client_for(county_officer)
    text = client.get(OFFICERS, {"unit": county.other_town.pk}).content.decode()
    assert text.count('data-testid="officer-row"') == 1 and "李街道" in text
    text = client.get(OFFICERS, {"status": "invalid"}).content.decode()
    assert text.count('data-testid="officer-row"') == 1 and "冯无证" in text
    text = client.get(OFFICERS, {"status": "valid"}).content.decode()
    assert text.count('data-testid="officer-row"') == 4


def test_the_county_office_registers_renews_and_revokes_a_certificate(
    county, powers, client_for, county_officer
):
    officer = TownUserFactory(display_name="韩新证", organisation=county.other_town)
    client = client_for(county_officer)
    assert client.get(NEW_CERTIFICATE).status_code == 200
    data = {
        "officer": officer.pk,
        "number": "43072320260001",
        "issued_on": days(-1).isoformat(),
        "expires_on": days(1000).isoformat(),
    }
    assert client.post(NEW_CERTIFICATE, data).status_code == 302
    certificate = OfficerCertificate.objects.get(number="43072320260001")
    assert certificate.officer == officer
    renew = reverse("enforcement:authority_certificate_renew", args=[certificate.pk])
    assert client.get(renew).status_code == 200
    new_expiry = days(2000)
    response = client.post(
        renew, {"issued_on": days(0).isoformat(), "expires_on": new_expiry.isoformat()}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.expires_on == new_expiry
    revoke = reverse("enforcement:authority_certificate_revoke", args=[certificate.pk])
    assert client.post(revoke).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_on == days(0)
    verbs = list(
        AuditEvent.objects.filter(target_id=certificate.pk, verb__startswith="officer_certificate")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "officer_certificate.registered",
        "officer_certificate.renewed",
        "officer_certificate.revoked",
    ]
    # a second revocation says so and changes nothing
    response = client.post(revoke, follow=True)
    assert "已于" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["town_official", "department_official", "leader", "enterprise_manager"]
)
def test_only_the_county_office_keeps_certificates(
    request, persona, county, powers, client_for, town_official
):
    client = client_for(request.getfixturevalue(persona))
    certificate = OfficerCertificate.objects.get(officer=town_official)
    assert client.get(NEW_CERTIFICATE).status_code == 403
    data = {
        "officer": town_official.pk,
        "number": "X1",
        "issued_on": days(-1).isoformat(),
        "expires_on": days(9).isoformat(),
    }
    assert client.post(NEW_CERTIFICATE, data).status_code == 403
    renew = reverse("enforcement:authority_certificate_renew", args=[certificate.pk])
    assert (
        client.post(
            renew, {"issued_on": days(0).isoformat(), "expires_on": days(9).isoformat()}
        ).status_code
        == 403
    )
    revoke = reverse("enforcement:authority_certificate_revoke", args=[certificate.pk])
    assert client.post(revoke).status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_on is None and certificate.expires_on == days(730)
    assert not OfficerCertificate.objects.filter(number="X1").exists()


def test_certificate_pages_refuse_other_methods(powers, client_for, county_officer, town_official):
    client = client_for(county_officer)
    certificate = OfficerCertificate.objects.get(officer=town_official)
    assert (
        client.get(
            reverse("enforcement:authority_certificate_revoke", args=[certificate.pk])
        ).status_code
        == 405
    )
    assert client.put(NEW_CERTIFICATE).status_code == 405
    assert client.post(OFFICERS).status_code == 405
    assert (
        client.delete(
            reverse("enforcement:authority_certificate_renew", args=[certificate.pk])
        ).status_code
        == 405
    )


def test_a_bad_certificate_is_refused_and_nothing_is_stored(
    county, powers, client_for, county_officer, enterprise_manager, town_official
):
    client = client_for(county_officer)
    before = OfficerCertificate.objects.count()
    cases = [
        ({"officer": enterprise_manager.pk}, "选择一个有效的选项"),
        ({"number": OfficerCertificate.objects.get(officer=town_official).number}, "已登记"),
        ({"expires_on": days(-5).isoformat()}, "有效期至不能早于发证日期"),
        ({"issued_on": days(5).isoformat()}, "日期不能晚于今天"),
    ]
    for change, message in cases:
        data = {
            "officer": powers.town_partner.pk,
            "number": "43072320269999",
            "issued_on": days(-1).isoformat(),
            "expires_on": days(900).isoformat(),
        }
        data.update(change)
        response = client.post(NEW_CERTIFICATE, data)
        assert response.status_code == 200, change
        assert message in response.content.decode(), change
    assert OfficerCertificate.objects.count() == before


# --- the selector other areas use ----------------------------------------------------------


def test_certified_officers_are_the_units_users_with_a_valid_certificate(
    county, powers, town_official, other_town_official
):
    today = days(0)
    officers = set(certified_officers(county.town.pk, today))
    assert officers == {town_official, powers.town_partner}  # not 冯无证 (expired)
    assert list(certified_officers(county.other_town, today)) == [other_town_official]
    assert not certified_officers(None, today).exists()
    # on the day before 冯无证's certificate expired he counted
    assert powers.uncertified_official in set(certified_officers(county.town.pk, days(-1)))
    choices = dict(certified_officers_choices(county.town, today))
    assert set(choices) == {town_official.pk, powers.town_partner.pk}
    assert "孙镇长" in choices[town_official.pk]


def test_certified_officers_cost_one_query(county, powers, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(certified_officers(county.town.pk, days(0)))


# --- query counts --------------------------------------------------------------------------


def _grow(county, size: int) -> None:
    towns = [
        OrganisationFactory(code=f"43072{n:04d}", name=f"测试镇{n}") for n in range(size // 10)
    ]
    items = [DelegatedItemFactory(delegating_department=county.department) for _ in range(size)]
    for n, town in enumerate(towns):
        TownAuthorisationFactory(town=town, items=items[: n + 1])
        OfficerCertificateFactory(officer=TownUserFactory(organisation=town))


@pytest.mark.parametrize("url", [ITEMS, AUTHORISATIONS, OFFICERS])
@pytest.mark.parametrize("persona", ["county_officer", "department_official", "town_official"])
def test_the_lists_cost_the_same_queries_with_ten_times_the_rows(
    request, persona, url, county, powers, client_for, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url).status_code == 200
    _grow(county, 10)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    _grow(county, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_detail_pages_cost_the_same_queries_with_more_items(
    county, powers, client_for, county_officer, django_assert_max_num_queries
):
    client = client_for(county_officer)
    url = authorisation_url(powers.general_authorisation.pk)
    item_url = reverse("enforcement:authority_item", args=[powers.fine_item.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
        client.get(item_url)
    extra = [DelegatedItemFactory(delegating_department=county.department) for _ in range(30)]
    powers.general_authorisation.items.add(*extra)
    for n in range(10):
        TownAuthorisationFactory(
            town=OrganisationFactory(code=f"43079{n:04d}"), items=[powers.fine_item]
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
        client.get(item_url)


def test_the_town_flag_is_kept_in_step_by_the_daily_sync(county, powers):
    from enforcement.authority.services import sync_procedure_flags

    Organisation.objects.filter(pk=county.town.pk).update(general_procedure_authorised=False)
    assert sync_procedure_flags() >= 1
    county.town.refresh_from_db()
    assert county.town.general_procedure_authorised
    powers.general_authorisation.valid_until = days(-1)
    powers.general_authorisation.save()
    sync_procedure_flags()
    county.town.refresh_from_db()
    assert not county.town.general_procedure_authorised
    assert sync_procedure_flags() == 0  # safe to run twice
    assert isinstance(days(0), datetime.date)


def test_the_daily_task_runs_the_sync(county, powers):
    from enforcement.authority.tasks import sync_town_procedure_flags

    Organisation.objects.filter(pk=county.town.pk).update(general_procedure_authorised=False)
    assert sync_town_procedure_flags() == 1
    assert sync_town_procedure_flags() == 0


def test_a_bad_renewal_is_refused_and_a_revoked_certificate_is_not_renewed(
    powers, client_for, county_officer, town_official
):
    certificate = OfficerCertificate.objects.get(officer=town_official)
    client = client_for(county_officer)
    renew = reverse("enforcement:authority_certificate_renew", args=[certificate.pk])
    response = client.post(
        renew, {"issued_on": days(0).isoformat(), "expires_on": days(-3).isoformat()}
    )
    assert "有效期至不能早于换发日期" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.expires_on == days(730)
    client.post(reverse("enforcement:authority_certificate_revoke", args=[certificate.pk]))
    response = client.post(
        renew, {"issued_on": days(0).isoformat(), "expires_on": days(9).isoformat()}
    )
    assert "已注销的执法证不能换发" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.expires_on == days(730)


def test_the_services_refuse_a_non_county_actor_themselves(powers, town_official):
    from enforcement.authority import services
    from safetyportal.workflow.errors import StepForbidden

    with pytest.raises(StepForbidden, match="县安委办"):
        services.revoke_certificate(
            actor=town_official,
            certificate_id=OfficerCertificate.objects.get(officer=town_official).pk,
        )
    with pytest.raises(StepForbidden):
        services.import_delegated_items(actor=town_official, rows=[])
    assert not OfficerCertificate.objects.filter(revoked_on__isnull=False).exists()


def test_fine_ranges_read_with_thousands_separators(powers, client_for, town_official):
    from enforcement.templatetags.enforcement_tags import yuan

    assert (yuan(Decimal("50000")), yuan(Decimal("0.50")), yuan(None)) == ("50,000", "0.5", "")
    text = client_for(town_official).get(ITEMS).content.decode()
    assert "警告或0.01–50,000 元" in text and "1–30,000 元" in text
