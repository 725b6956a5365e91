"""What the guardrail services share: the permission message and model validation."""

from django.core.exceptions import ValidationError

from common.errors import ApplicationError

MAY_NOT_MANAGE = "Only administrators and the Security lane maintain the company guardrails."


def clean_or_raise(instance, *, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field_errors = error.message_dict if hasattr(error, "error_dict") else {}
        raise ApplicationError("; ".join(error.messages), field_errors=field_errors) from error


def clean_text_list(values, *, field: str, limit: int = 20, length: int = 80) -> list[str]:
    values = [str(value).strip() for value in values or [] if str(value).strip()]
    if len(values) > limit or any(len(value) > length for value in values):
        message = f"Give at most {limit} entries of at most {length} characters each."
        raise ApplicationError(message, field_errors={field: [message]})
    return list(dict.fromkeys(values))
