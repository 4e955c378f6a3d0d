"""The demo county (青禾县, fictional) that `manage.py load_demo` builds.

data.py      taxonomy, units, staff, partners and the demo accounts (with the one demo
             password, which lives nowhere else)
people.py    the deterministic plan of sixty supervisees
content.py   the public pages: home, news, guides, privacy notice, partner profiles
loader.py    applies all of it idempotently, through the portal's services

Facts and figures follow published reports on a real county (a few hundred supervisees,
squads and justice offices, NGOs, training bases, a volunteer team);
every name, number and sentence here is invented for the demo.
"""
