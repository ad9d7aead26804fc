"""Goal 1's rate ratio: the rate of lethal and serious violence after the programme's start against the
baseline, with its 95 % confidence interval from statsmodels (the score interval for two Poisson rates)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep


@dataclass(frozen=True)
class RateRatio:
    after_count: int
    after_days: int
    baseline_count: int
    baseline_days: int
    ratio: float | None
    low: float | None
    high: float | None

    @property
    def reading(self) -> str:
        """One line in plain language (the page shows it beside the figures)."""
        if self.ratio is None or self.low is None or self.high is None:
            return _("För få händelser för att jämföra takten med baslinjen.")
        ratio = f"{self.ratio:.2f}".replace(".", ",")
        if self.high < 1:
            return _(
                "Sedan starten inträffar grovt våld i %(ratio)s gånger baslinjens takt: lägre, och skillnaden är "
                "större än slumpen brukar ge."
            ) % {"ratio": ratio}
        if self.low > 1:
            return _(
                "Sedan starten inträffar grovt våld i %(ratio)s gånger baslinjens takt: högre, och skillnaden är "
                "större än slumpen brukar ge."
            ) % {"ratio": ratio}
        return _(
            "Sedan starten inträffar grovt våld i %(ratio)s gånger baslinjens takt, men skillnaden ryms inom vad "
            "slumpen kan ge: ingen säker förändring ännu."
        ) % {"ratio": ratio}


def rate_ratio(*, after_count: int, after_days: int, baseline_count: int, baseline_days: int) -> RateRatio:
    if after_days <= 0 or baseline_days <= 0 or after_count == 0 or baseline_count == 0:
        # With a zero count the score interval is not defined; the page says so rather than show one.
        return RateRatio(after_count, after_days, baseline_count, baseline_days, None, None, None)
    test = test_poisson_2indep(after_count, after_days, baseline_count, baseline_days, method="score", compare="ratio")
    low, high = confint_poisson_2indep(
        after_count, after_days, baseline_count, baseline_days, method="score", compare="ratio", alpha=0.05
    )
    return RateRatio(after_count, after_days, baseline_count, baseline_days, float(test.ratio), float(low), float(high))
