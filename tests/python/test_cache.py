"""engine/cache.cache_on: one dict per object and name, owned by that object alone."""

import pickle

from openfisca_core.simulation_builder import SimulationBuilder

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.lookup import jurisdiction_index
from openfisca_cn_assist.engine.resolver import refresh_resolver, resolver_for
from openfisca_cn_assist.reforms.carry_forward import carry_forward


class Thing:
    pass


def test_the_same_dict_on_every_call_and_one_per_name_and_object():
    a, b = Thing(), Thing()
    cache_on(a, "x")["k"] = 1
    assert cache_on(a, "x") == {"k": 1} and cache_on(a, "x") is cache_on(a, "x")
    assert cache_on(a, "y") == {} and cache_on(b, "x") == {}


def test_a_copied_dict_is_not_taken_for_the_copy_s_own_cache():
    original = Thing()
    cache_on(original, "x")["k"] = 1
    copy = Thing()
    copy.__dict__.update(original.__dict__)  # what Simulation.clone and TaxBenefitSystem.clone do
    assert cache_on(copy, "x") == {}
    assert cache_on(original, "x") == {"k": 1}


def test_a_pickled_object_gets_empty_caches():
    thing = Thing()
    cache_on(thing, "x")["k"] = 1
    assert cache_on(pickle.loads(pickle.dumps(thing)), "x") == {}


def test_a_reform_has_its_own_resolver_and_a_refresh_replaces_it(system):
    reformed = carry_forward(system)
    assert resolver_for(reformed) is not resolver_for(system)
    assert resolver_for(system) is resolver_for(system)
    before = resolver_for(reformed)
    assert refresh_resolver(reformed) is not before and resolver_for(reformed) is not before
    assert resolver_for(system) is not resolver_for(reformed)


def test_per_simulation_caches_stay_with_their_simulation(system):
    situation = {
        "persons": {"a": {}},
        "households": {"h": {"members": ["a"], "jurisdiction": {"ETERNITY": "mengla"}}},
    }
    simulation = SimulationBuilder().build_from_entities(system, situation)
    index = jurisdiction_index(simulation.household, "2022-08")
    assert cache_on(simulation, "jurisdiction_index")["household"][0] is index
    other = SimulationBuilder().build_from_entities(system, situation)
    assert cache_on(other, "jurisdiction_index") == {}
