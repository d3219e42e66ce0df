"""Character spans into an article body."""

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CharSpan(BaseModel):
    """A `[start, end)` span of code points in the body exactly as received."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be after start {self.start}")
        return self
