"""The admin's Import screen: upload an export, try it, import it, read the report.

For editors and admins (``blog.add_import``, given to the Editors group by blog/migrations/0007),
not moderators. Imported by blog/wagtail_hooks.py, where Wagtail looks for the blog's hooks.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Import
from .tasks import run_import


class ImportPermissionPolicy(ModelPermissionPolicy):
    """An import is a record of what happened: started and read, deleted by admins, never edited."""

    def user_has_permission(self, user, action):
        return action != "change" and super().user_has_permission(user, action)


register_permission_policy(Import, ImportPermissionPolicy(Import))

SHOWN = 500  # skips and warnings listed on the screen; the rest are counted


class ImportForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        if data.get("kind") == Import.Kind.MARKDOWN and data.get("uploads"):
            self.add_error("uploads", "Pictures come inside a Jekyll or Hugo zip: this box is for WordPress only.")
        return data


def queue(job, request):
    job.created_by = request.user
    job.save()
    transaction.on_commit(partial(run_import.enqueue, job.pk))
    return job


class ImportCreateView(CreateView):
    submit_button_label = "Upload and start"
    success_message = "Your file is uploaded: the import starts in a moment and this page follows it."

    def save_instance(self):
        return queue(self.form.save(commit=False), self.request)

    def get_success_url(self):
        return reverse("imports:inspect", args=[self.object.pk])

    def get_success_buttons(self):
        return []


class ImportReportView(InspectView):
    page_title = "Import report"
    template_name = "blog/admin/import_report.html"

    def get_context_data(self, **kwargs):
        report = self.object.get_report()
        return super().get_context_data(
            **kwargs,
            job=self.object,
            report=report,
            counts=report.counts() if report else None,
            skipped=report.skipped[:SHOWN] if report else [],
            warnings=report.warnings[:SHOWN] if report else [],
            more_skipped=max(0, len(report.skipped) - SHOWN) if report else 0,
            more_warnings=max(0, len(report.warnings) - SHOWN) if report else 0,
            running=self.object.status in (Import.Status.QUEUED, Import.Status.RUNNING),
            can_import=self.request.user.has_perm("blog.add_import"),
        )


@require_POST
def import_for_real(request, pk):
    """After a trial: the same files, imported for real, without uploading them again."""
    if not request.user.has_perm("blog.add_import"):
        raise PermissionDenied
    trial = get_object_or_404(Import, pk=pk, dry_run=True, status=Import.Status.DONE)
    if not trial.source:
        messages.error(request, "This trial's file was deleted: upload it again to import it.")
        return redirect("imports:inspect", trial.pk)
    started = Import.objects.filter(source=trial.source.name, dry_run=False).exclude(status=Import.Status.FAILED)
    if job := started.first():  # a second click on the button: the import has started already
        return redirect("imports:inspect", job.pk)
    with transaction.atomic():
        job = queue(
            Import(kind=trial.kind, source=trial.source.name, uploads=trial.uploads.name, dry_run=False), request
        )
    messages.success(request, "The import starts in a moment and this page follows it.")
    return redirect("imports:inspect", job.pk)


class ImportViewSet(ModelViewSet):
    model = Import
    icon = "download"
    add_to_admin_menu = True
    menu_label = "Import"
    menu_order = 300
    form_fields = ["kind", "source", "uploads", "dry_run"]
    list_display = ["__str__", "status", "progress", "created_by", "created"]
    list_filter = ["status", "kind"]
    inspect_view_enabled = True
    copy_view_enabled = False
    add_view_class = ImportCreateView
    inspect_view_class = ImportReportView

    def get_form_class(self, for_update=False):
        return modelform_factory(
            Import, form=ImportForm, formfield_callback=self.formfield_for_dbfield, fields=self.form_fields
        )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("run/<int:pk>/", import_for_real, name="run")]


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ImportViewSet("imports")
