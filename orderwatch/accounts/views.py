from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from orderwatch.accounts.forms import SignInForm
from orderwatch.accounts.services import user_sign_in_record, user_sign_out_record


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user_sign_in_record(user=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            user_sign_out_record(user=request.user)
        response = super().post(request, *args, **kwargs)
        # Leave nothing of the session behind on a shared device.
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


@login_not_required
def signed_out(request):
    return render(request, "accounts/signed_out.html")
