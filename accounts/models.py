from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BilingualName, Membership, Province


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address."""

    # One name field: Chinese names don't split into first and last the Western way.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("en", "English"), ("zh-hans", "简体中文")],
        default="zh-hans",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # auth's UserManager takes a username first; this one an email address.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = User.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email


class RegulatorOffice(BilingualName):
    """An IP office or a banking and insurance regulatory bureau. National
    offices see every province; provincial ones only their own."""

    class Kind(models.TextChoices):
        IP_OFFICE = "ip_office", _("Intellectual property office")
        FINANCIAL_REGULATOR = "financial_regulator", _("Banking and insurance regulator")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    level = models.CharField(_("jurisdiction"), max_length=12, choices=Level.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regulator_offices",
    )

    class Meta:
        ordering = ["level", "province_id", "name_zh"]
        verbose_name = _("regulator office")
        verbose_name_plural = _("regulator offices")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="national") & Q(province__isnull=True))
                | (Q(level="provincial") & Q(province__isnull=False)),
                name="regulator_office_jurisdiction",
                violation_error_message=_(
                    "A national office has no province; a provincial office needs one."
                ),
            )
        ]

    @property
    def is_national(self) -> bool:
        return self.level == self.Level.NATIONAL


class OfficeMembership(Membership):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="office_memberships"
    )
    office = models.ForeignKey(
        RegulatorOffice,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("regulator")
        verbose_name_plural = _("regulators")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="office_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.office}"


class Notification(models.Model):
    """A message to one user, shown in the portal and sent by email once."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.SlugField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set once the email has gone, so a retried task never sends it twice.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class SecurityEvent(models.Model):
    """One line of a security log: who signed in, changed a password, set up a
    second factor, invited or removed whom. Kept per user and, where the event
    concerns one, per organisation (named by kind and id, so any kind fits)."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        MFA_ENABLED = "mfa_enabled", _("Second factor set up")
        MFA_DISABLED = "mfa_disabled", _("Second factor removed")
        RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", _("Recovery codes regenerated")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset by email")
        EMAIL_CHANGED = "email_changed", _("Email address changed")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        ROLE_CHANGED = "role_changed", _("Role changed")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="security_events",
    )
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    organisation_kind = models.CharField(_("organisation kind"), max_length=32, blank=True)
    organisation_id = models.PositiveBigIntegerField(_("organisation"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["organisation_kind", "organisation_id", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user}"


class ApiToken(models.Model):
    """A personal API token. Only a hash of the secret is stored: the secret
    is shown once, when the token is made."""

    PREFIX = "ipf_"

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so its owner can tell tokens apart.
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def is_active(self, now: Any = None) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > (now or timezone.now())
