"""Settings: declared, validated, immutable; unknown SCHOOL_* variables stop start-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys

import pytest

from shared.settings import Settings, SettingsError, load_settings


def test_defaults_are_the_embedded_install():
    settings = load_settings({})
    assert settings.redis_url == ""
    assert settings.database_url("register").endswith("var/register.sqlite3")
    assert not settings.email_enabled


def test_unknown_school_variable_is_named():
    with pytest.raises(SettingsError, match="SCHOOL_SMTP_HOTS"):
        load_settings({"SCHOOL_SMTP_HOTS": "mail.example.bg"})


def test_a_retired_variable_says_where_its_value_is_set_now():
    with pytest.raises(SettingsError, match=r"SCHOOL_BENEFIT_THRESHOLD: вече не се използва.*child_benefit_list"):
        load_settings({"SCHOOL_BENEFIT_THRESHOLD": "5"})


def test_school_dates_of_the_year_are_settings_with_the_rulebooks_defaults():
    assert (Settings().monthly_export_day, Settings().xii_classes_end) == (3, "05-15")
    assert load_settings({"SCHOOL_MONTHLY_EXPORT_DAY": "5"}).monthly_export_day == 5
    with pytest.raises(SettingsError, match="SCHOOL_MONTHLY_EXPORT_DAY"):
        load_settings({"SCHOOL_MONTHLY_EXPORT_DAY": "31"})
    with pytest.raises(SettingsError, match="SCHOOL_XII_CLASSES_END"):
        load_settings({"SCHOOL_XII_CLASSES_END": "15.05"})


def test_every_invalid_value_is_reported_at_once():
    with pytest.raises(SettingsError) as err:
        load_settings({"SCHOOL_SMTP_PORT": "twenty-five", "SCHOOL_TODAY": "01.12.2023",
                       "SCHOOL_QUIET_HOURS": "9pm-7am"})
    message = str(err.value)
    for name in ("SCHOOL_SMTP_PORT", "SCHOOL_TODAY", "SCHOOL_QUIET_HOURS"):
        assert name in message


def test_values_are_parsed_and_frozen():
    settings = load_settings({"SCHOOL_TODAY": "2023-12-01", "SCHOOL_SMTP_STARTTLS": "true",
                              "SCHOOL_SMTP_HOST": "127.0.0.1", "SCHOOL_SMTP_FROM": "a@b.bg",
                              "SCHOOL_QUIET_HOURS": "21:00-07:00", "OTHER": "ignored"})
    assert settings.today == dt.date(2023, 12, 1)
    assert settings.smtp_starttls is True
    assert settings.email_enabled
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.smtp_host = "other"  # type: ignore[misc]


def test_smtp_host_without_sender_is_refused():
    with pytest.raises(SettingsError, match="SCHOOL_SMTP_FROM"):
        load_settings({"SCHOOL_SMTP_HOST": "mail.example.bg"})


def test_config_file_and_environment(tmp_path):
    config = tmp_path / "school.toml"
    config.write_text('smtp_host = "mail.example.bg"\nsmtp_from = "office@example.bg"\nsmtp_port = 587\n',
                      encoding="utf-8")
    settings = load_settings({"SCHOOL_CONFIG_FILE": str(config), "SCHOOL_SMTP_PORT": "2525"})
    assert settings.smtp_host == "mail.example.bg"
    assert settings.smtp_port == 2525  # the environment wins over the file
    config.write_text('smtp_hots = "x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="smtp_hots"):
        load_settings({"SCHOOL_CONFIG_FILE": str(config)})


def test_cli_refuses_to_start_naming_the_variable(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "shared.cli.main", "db", "upgrade", "--data", str(tmp_path)],
        env={"SCHOOL_REDIS_ULR": "redis://x", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=60, check=False,
    )
    assert result.returncode == 2
    assert "SCHOOL_REDIS_ULR" in result.stderr


def test_nothing_is_read_at_import_time():
    code = ("import os; os.environ['SCHOOL_BOGUS']='1'; import shared.settings, shared.bootstrap, "
            "services.register.service, services.documents.service, services.notifications.service, "
            "services.planning.service; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_settings_type_has_every_contract_variable():
    names = {f.name for f in dataclasses.fields(Settings)}
    for contract in ("data_dir", "redis_url", "register_database_url", "documents_database_url",
                     "notifications_database_url", "planning_database_url", "smtp_host", "smtp_port",
                     "smtp_from", "smtp_user", "smtp_password", "smtp_starttls", "quiet_hours", "today"):
        assert contract in names


def test_excuse_settings_have_the_rulebooks_defaults_and_the_readings_of_chl_137():
    """Чл. 61, ал. 1, т. 3–4 (3 and 7 school days), Чл. 61, ал. 2 (20 days), Чл. 137, ал. 2 as the text says."""
    defaults = Settings()
    assert (defaults.excuse_parent_quota_days, defaults.excuse_director_quota_days) == (3, 7)
    assert (defaults.extended_term_min_days, defaults.term_grade_absence_alone) == (20, False)
    school = load_settings({"SCHOOL_EXCUSE_DIRECTOR_QUOTA_DAYS": "5", "SCHOOL_TERM_GRADE_ABSENCE_ALONE": "true"})
    assert (school.excuse_director_quota_days, school.term_grade_absence_alone) == (5, True)
    with pytest.raises(SettingsError, match="SCHOOL_EXTENDED_TERM_MIN_DAYS"):
        load_settings({"SCHOOL_EXTENDED_TERM_MIN_DAYS": "0"})
    # Чл. 139, ал. 2, т. 2 (a week) and Чл. 128, ал. 2 and 4 (three weeks, two weeks).
    assert (defaults.written_grade_entry_days, defaults.entry_level_weeks, defaults.exit_level_weeks) == (7, 3, 2)
    for name in ("SCHOOL_WRITTEN_GRADE_ENTRY_DAYS", "SCHOOL_ENTRY_LEVEL_WEEKS", "SCHOOL_EXIT_LEVEL_WEEKS"):
        with pytest.raises(SettingsError, match=name):
            load_settings({name: "0"})
    with pytest.raises(SettingsError, match="SCHOOL_EXCUSE_PARENT_QUOTA_DAYS"):
        load_settings({"SCHOOL_EXCUSE_PARENT_QUOTA_DAYS": "-1"})
