from django.urls import path

from orderwatch.chronology import views

app_name = "chronology"

# Included under cases/<uuid:case_id>/chronology/.
urlpatterns = [
    path("", views.chronology, name="timeline"),
    path("pdf/", views.chronology_pdf_request, name="pdf"),
]
