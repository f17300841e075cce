# INTERIM placeholder; the Excel helper replaces this whole file.
from django.http import Http404


def registry_import_page(request):
    raise Http404


def registry_export_download(request, kind):
    raise Http404


def registry_template_download(request, kind):
    raise Http404
