import pytest

import opa_platform as opa


def test_parse_with_defaults():
    r = opa.parse_entity_ref("team-a", default_kind="Group")
    assert (r.kind, r.namespace, r.name) == ("Group", "default", "team-a")
    assert str(r) == "group:default/team-a"


def test_name_may_hold_colons_and_slashes():
    r = opa.parse_entity_ref("a:b/c/d")
    assert (r.kind, r.namespace, r.name) == ("a", "b", "c/d")


def test_stringify():
    assert opa.stringify_entity_ref(opa.EntityRef("Component", "x", "NS")) == "component:ns/x"


@pytest.mark.parametrize("bad", ["", "foo", ":x", "component:/x", "component:ns/"])
def test_malformed_refs_raise(bad):
    with pytest.raises(opa.InvalidRefError) as info:
        opa.parse_entity_ref(bad)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, opa.OpaError)
    assert info.value.code == "invalid-ref"


def test_refs_compare_by_value():
    assert opa.parse_entity_ref("component:x") == opa.EntityRef("component", "x")
