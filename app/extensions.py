"""Extension objects shared by the app factory and the CLI (one set per process)."""

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_migrate import Migrate

db = get_sqla_class()()
migrate = Migrate(render_as_batch=True, compare_type=True)
