"""Imports every table module so SQLModel.metadata is complete (Alembic, tests)."""


def import_all_models() -> None:
    from haocha.accounts import models as _accounts  # noqa: F401, PLC0415
    from haocha.ml import models as _ml  # noqa: F401, PLC0415
    from haocha.moderation import models as _moderation  # noqa: F401, PLC0415
    from haocha.providers import accounts as _provider_accounts  # noqa: F401, PLC0415
    from haocha.providers import invitations as _invitations  # noqa: F401, PLC0415
    from haocha.providers import models as _providers  # noqa: F401, PLC0415
    from haocha.reviews import models as _reviews  # noqa: F401, PLC0415
    from haocha.scoring import models as _scoring  # noqa: F401, PLC0415
