# Placeholder until the import views land (owned by the import work).
from django.http import HttpResponse


def upload(request):
    return HttpResponse(status=501)


preview = confirm = upload
