from django import forms
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from safetyportal.accounts.models import EmailFrequency
from safetyportal.accounts.services import update_email_preference


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PreferencesForm(forms.Form):
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    email_frequency = forms.ChoiceField(label=_("邮件通知"), choices=EmailFrequency.choices)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("email_frequency") != EmailFrequency.NEVER and not cleaned.get("email"):
            self.add_error("email", gettext("选择接收邮件时必须填写电子邮箱。"))
        return cleaned


@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = PreferencesForm(
        request.POST or None,
        initial={"email": user.email, "email_frequency": user.email_frequency},
    )
    if request.method == "POST" and form.is_valid():
        update_email_preference(
            user=user,
            email=form.cleaned_data["email"],
            email_frequency=form.cleaned_data["email_frequency"],
        )
        messages.success(request, gettext("个人设置已保存。"))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
