"""Notebook parameters and slices: one validator refuses unsafe names and unknown values before anything runs."""

from __future__ import annotations

import pytest

from analysis.site import views
from analysis.site.parameters import (ParameterError, Vocabulary, check_parameters, check_slice, declared_parameters,
                                      parse_parameters, parse_slice, resolve_notebook)

from tests.conftest import ROOT

PROFILE = ROOT / "notebooks" / "04_notice_profile.ipynb"
INDICATORS = ROOT / "notebooks" / "02_indicators.ipynb"
NETWORK = ROOT / "notebooks" / "03_network.ipynb"


@pytest.fixture(scope="module")
def vocabulary(tables):
    """Known ids, provinces and years of the shipped corpus."""
    return Vocabulary.of(tables["notices"])


# --------------------------------------------------------------------------- declared parameters


def test_declared_parameters_are_read_from_the_cell_tagged_parameters():
    assert declared_parameters(NETWORK) == {"province": None, "genre": None, "year": None, "graph": "agency_agency", "root": None}


# --------------------------------------------------------------------------- from the command line


@pytest.mark.parametrize("texts,message", [
    (["import os; os.system('id'); x=1"], "not a plain identifier"),
    (["x;print(1);y=2"], "not a plain identifier"),
    (["x=1;print(1);y=2"], "has no parameter"),
    (["province=山东省"], "has no parameter"),
    (["notice_id"], "key=value"),
    (["root=/"], "set by the runner"),
])
def test_command_line_parameters_are_refused_before_anything_runs(texts, message):
    with pytest.raises(ParameterError, match=message):
        parse_parameters(PROFILE, texts)


def test_command_line_parameters_take_the_type_of_their_default():
    assert parse_parameters(INDICATORS, ["year=2024", "province=山东省"]) == {"year": 2024, "province": "山东省"}


def test_a_year_that_is_not_a_whole_number_is_refused():
    with pytest.raises(ParameterError, match="whole number"):
        parse_parameters(INDICATORS, ["year=2024); import os; ("])


@pytest.mark.parametrize("text,expected", [("province=山东省", {"province": "山东省"}), ("genre = audit", {"genre": "audit"}),
                                           ("year=2024", {"year": 2024})])
def test_a_slice_on_the_command_line_is_one_key_and_value(text, expected):
    assert parse_slice(text) == expected


@pytest.mark.parametrize("text,message", [("山东省", "key=value"), ("notice_id=x", "province, genre or year"),
                                          ("year=twenty", "must be a number")])
def test_a_malformed_slice_is_refused(text, message):
    with pytest.raises(ParameterError, match=message):
        parse_slice(text)


@pytest.mark.parametrize("name,expected", [("teaching_01", "teaching_01_reading_a_notice.ipynb"),
                                           ("04_notice_profile", "04_notice_profile.ipynb"),
                                           ("02_indicators.ipynb", "02_indicators.ipynb")])
def test_a_notebook_is_named_by_its_stem_or_a_unique_start(name, expected):
    assert resolve_notebook(ROOT / "notebooks", name) == expected


@pytest.mark.parametrize("name,message", [("teaching", "could be"), ("../notebooks/00_home", "no notebook"), ("", "no notebook")])
def test_an_ambiguous_or_unknown_notebook_name_is_refused(name, message):
    with pytest.raises(ParameterError, match=message):
        resolve_notebook(ROOT / "notebooks", name)


# --------------------------------------------------------------------------- against the corpus


@pytest.mark.parametrize("notebook,parameters,message", [
    (PROFILE, {"x=1;print(1);y": 1}, "not a plain identifier"),
    (PROFILE, {"import": 1}, "not a plain identifier"),
    (PROFILE, {"province": "山东省"}, "has no parameter"),
    (PROFILE, {"notice_id": "../../etc/passwd"}, "unknown notice id"),
    (PROFILE, {"notice_id": "qingdao-sthjj-2024'); import os; ('"}, "unknown notice id"),
    (INDICATORS, {"province": "火星省"}, "not in the corpus"),
    (INDICATORS, {"genre": "gossip"}, "not one of"),
    (INDICATORS, {"year": "2024"}, "year"),
    (INDICATORS, {"year": 1999}, "not a signature year"),
    (INDICATORS, {"root": "/"}, "set by the runner"),
    (NETWORK, {"graph": "friends"}, "not one of"),
])
def test_bad_parameters_are_refused_before_execution(notebook, parameters, message, vocabulary):
    with pytest.raises(ParameterError, match=message):
        check_parameters(notebook, parameters, vocabulary)


def test_good_parameters_pass(vocabulary):
    assert check_parameters(INDICATORS, {"province": "山东省", "year": 2025}, vocabulary) == {"province": "山东省", "year": 2025}
    assert check_parameters(PROFILE, {"notice_id": "zibo-sthjj-2025"}, vocabulary)


def test_a_slice_keeps_only_the_parts_that_are_set(vocabulary):
    assert check_slice(vocabulary, province="山东省", genre=None, year=2025) == {"province": "山东省", "year": 2025}
    assert check_slice(vocabulary) == {}


@pytest.mark.parametrize("slice_,message", [({"province": "火星省"}, "not in the corpus"), ({"genre": "gossip"}, "not one of"),
                                            ({"year": 1999}, "not a signature year")])
def test_a_slice_is_refused_with_the_same_message_as_the_notebook_parameter(slice_, message, vocabulary):
    with pytest.raises(ParameterError, match=message) as as_slice:
        check_slice(vocabulary, **slice_)
    with pytest.raises(ParameterError) as as_parameter:
        check_parameters(INDICATORS, slice_, vocabulary)
    assert str(as_slice.value) == str(as_parameter.value)


def test_loading_a_slice_in_a_notebook_uses_the_same_validator(built, vocabulary):
    with pytest.raises(ParameterError) as loading:
        views.load_slice(["notices"], year=1999, root=built.root)
    with pytest.raises(ParameterError) as checking:
        check_slice(vocabulary, year=1999)
    assert str(loading.value) == str(checking.value)
