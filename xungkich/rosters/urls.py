from xungkich.rosters import urls_attendance, urls_mine, urls_plan

app_name = "rosters"
urlpatterns = urls_plan.urlpatterns + urls_mine.urlpatterns + urls_attendance.urlpatterns
