from xungkich.rosters.attendance import urls as urls_attendance
from xungkich.rosters.mine import urls as urls_mine
from xungkich.rosters.plan import urls as urls_plan

app_name = "rosters"
urlpatterns = urls_plan.urlpatterns + urls_mine.urlpatterns + urls_attendance.urlpatterns
