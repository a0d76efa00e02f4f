"""Give Wagtail's Editors and Moderators groups the permissions this site's people need, and no more.

Wagtail's initial data makes "Moderators" page moderators, with a "Moderators
approval" workflow on every page; here they are the people who review comments and
reach nothing else, so that workflow is switched off. "Editors" write, publish and
schedule pages, keep the sidebar settings and tags, and do not moderate comments.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("blog", "comment", "view_comment"),
    ("blog", "comment", "change_comment"),
    ("blog", "comment", "delete_comment"),
]
EDITOR_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("home", "sidebarsettings", "change_sidebarsettings"),
    ("blog", "commentsettings", "change_commentsettings"),
    *[("taggit", "tag", f"{action}_tag") for action in ("add", "change", "delete", "view")],
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def set_up_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def permissions(triples):
        return [
            Permission.objects.get(content_type__app_label=app, content_type__model=model, codename=codename)
            for app, model, codename in triples
        ]

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(permissions(MODERATOR_PERMISSIONS))
    GroupPagePermission.objects.filter(group=moderators).delete()
    GroupCollectionPermission.objects.filter(group=moderators).delete()
    Workflow = apps.get_model("wagtailcore", "Workflow")
    apps.get_model("wagtailcore", "WorkflowPage").objects.filter(workflow__name="Moderators approval").delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions(EDITOR_PERMISSIONS))
    root = Page.objects.get(depth=1)
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_comments"),
        ("home", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(set_up_groups, migrations.RunPython.noop)]
