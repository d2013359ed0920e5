"""Errors a user can act on.

Every class here is a problem with the user's input or environment (a bad file, a wrong
passphrase, a full disk). Its message is Chinese and says what and where. Bugs are not
``YantaError``: they surface as tracebacks in the log.
"""

from __future__ import annotations


class YantaError(Exception):
    """操作未能完成。"""

    exit_code = 1

    def __init__(self, message: str | None = None, *, where: str | None = None) -> None:
        self.message = message or (self.__doc__ or "").strip()
        self.where = where
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class FormFileError(YantaError):
    """表单文件有误。"""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class PlanError(YantaError):
    """工作方案文件有误。"""


class UnknownUnitError(YantaError):
    """未知的单位名称。"""


class ValidationFailed(YantaError):
    """填报内容未通过校验。"""

    def __init__(self, issues: list) -> None:  # list[forms.validate.Issue]
        self.issues = issues
        lines = [i.text for i in issues]
        super().__init__("\n".join(lines))


class StoreError(YantaError):
    """本地数据库操作失败。"""


class NotInitialisedError(YantaError):
    """本机尚未设置填报单位。请先运行 `yanta init --unit 单位名称`。"""


class EvidenceTooLarge(YantaError):
    """佐证材料文件过大。"""


class PassphraseError(YantaError):
    """口令错误，无法解开私钥。"""


class PacketRejected(YantaError):
    """数据包未通过校验。"""
