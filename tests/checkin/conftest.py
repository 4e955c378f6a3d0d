from tests.volunteering.conftest import svc  # noqa: F401  (activities, people, the NGO)
