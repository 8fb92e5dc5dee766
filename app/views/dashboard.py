"""The landing page after login."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose
from sqlalchemy import func, select

from app.extensions import db
from app.models.master import Pegawai
from app.security import scope


class DashboardIndexView(IndexView):
    index_template = "sikap/dashboard.html"

    @expose("/")
    def index(self):  # noqa: ANN201
        user = getattr(g, "user", None)
        if user is None or not user.is_authenticated:
            return redirect(url_for("AuthDBView.login"))
        viewer = scope.current_viewer(db.session)
        me = db.session.get(Pegawai, viewer.pegawai_id) if viewer.pegawai_id else None
        visible = select(func.count(Pegawai.id)).where(Pegawai.aktif.is_(True))
        clause = scope.visible_pegawai_ids(viewer)
        if clause is not None:
            visible = visible.where(clause)
        return self.render_template(
            self.index_template,
            me=me,
            viewer=viewer,
            visible_count=db.session.execute(visible).scalar(),
            role_names=[role.name for role in user.roles],
        )
