from django.urls import path

from organisers import views

app_name = "organisers"

urlpatterns = [
    path("<slug:conference>/", views.board, name="board"),
    path("<slug:conference>/move/<int:pk>/", views.move, name="move"),
    path("<slug:conference>/card/<int:pk>/", views.card, name="card"),
    path("<slug:conference>/undo/", views.undo_last, name="undo"),
    path("<slug:conference>/publish/", views.publish, name="publish"),
]
