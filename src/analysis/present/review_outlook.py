"""The main page's part on the skills-needs outlook six months ahead
(:class:`analysis.forecast.outlook.OutlookSummary`): a heading, two paragraphs (the groups expected in
shortage with their probability, what shortage means, the groups in surplus; how often the area's recent
outlooks were right) and a chart of the groups where shortage is likeliest. The appendix's skills section
(:mod:`analysis.present.skills`) holds the rest.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators.review import ReviewFacts
from analysis.names import area_name
from analysis.present import grammar as g
from analysis.present import html
from analysis.present.fmt import MISSING, fmt_int, fmt_pct
from analysis.present.review_words import months_span, tx

OUTLOOK_NAMED = 4
"""Most groups the outlook's sentence names in one tier (likely, possible); the chart and the appendix hold the rest."""
OUTLOOK_LIKELY = 0.5
"""A shortage at least this probable is "likely"; a group whose outlook is shortage at a lower probability
(the class weights favour shortage, :data:`analysis.forecast.outlook.CLASS_WEIGHTS`) is "possible"."""
OUTLOOK_CHART_GROUPS = 8
"""The groups the outlook's chart draws: those with the largest probability of shortage."""
SHARE_WORDS: tuple[tuple[float, str], ...] = ((1 / 2, "1_2"), (3 / 5, "3_5"), (2 / 3, "2_3"), (3 / 4, "3_4"),
                                             (4 / 5, "4_5"), (5 / 6, "5_6"), (9 / 10, "9_10"))
"""The simple fractions a share of hits is said as ("noin kolme neljästä"); under 45 % it is "alle puolet"."""


def share_words(share: float, lang: str) -> str:
    """A share (0–1) as the nearest simple fraction in words: 0.73 -> "noin kolme neljästä" / "ungefär tre av fyra"."""
    if share < 0.45:
        return tx("outlook_share.under_half", lang)
    _value, key = min(SHARE_WORDS, key=lambda item: abs(item[0] - share))
    return tx(f"outlook_share.{key}", lang)


def _outlook_name(group, lang: str) -> str:
    """A group's name inside a sentence ("terveydenhuollon asiantuntijat"; "ammattiryhmä 91" without a verified name)."""
    name = group.name(lang)
    return g.list_item(name) if name else tx("outlook_group_code", lang, code=group.code)


def _outlook_items(groups, lang: str) -> str:
    """"A (90 %), B (88 %) ja C (86 %)": the groups with their probability of shortage."""
    return g.join_and([f"{_outlook_name(x, lang)} ({fmt_pct(100 * x.p_shortage, 0, lang)})" for x in groups], lang)


def _outlook_tier(key: str, groups: list, lang: str, **values: object) -> str:
    """One tier of the shortage sentence (``key``: likely, possible_too, possible_only): its frame for one
    group, or for several with each one's probability."""
    if len(groups) == 1:
        return tx(f"outlook_{key}_one", lang, item=_outlook_name(groups[0], lang),
                  p=fmt_pct(100 * groups[0].p_shortage, 0, lang), **values)
    return tx(f"outlook_{key}", lang, items=_outlook_items(groups[:OUTLOOK_NAMED], lang), **values)


def _outlook_shortage_sentences(summary, lang: str) -> list[str]:
    """The groups expected in shortage: the likely ones (probability at least a half), then those where it is
    possible; that none is expected, plainly, when none is; at most :data:`OUTLOOK_NAMED` of each named."""
    target = g.in_month(summary.target, lang)
    likely = [x for x in summary.shortage if x.p_shortage >= OUTLOOK_LIKELY]
    possible = [x for x in summary.shortage if x.p_shortage < OUTLOOK_LIKELY]
    if likely:
        out = [_outlook_tier("likely", likely, lang, target=target)]
        if possible:
            out.append(_outlook_tier("possible_too", possible, lang))
    elif possible:
        out = [_outlook_tier("possible_only", possible, lang, target=target)]
    else:
        return [tx("outlook_none", lang, target=target)]
    more = max(len(likely) - OUTLOOK_NAMED, 0) + max(len(possible) - OUTLOOK_NAMED, 0)
    if more:
        out.append(tx("outlook_more_one", lang) if more == 1 else tx("outlook_more", lang, n=more))
    return out


def outlook_accuracy_sentence(summary, lang: str) -> str:
    """How many of the area's recent outlooks gave the right class, against keeping today's class; a short
    record said to be short; none, that it cannot be judged yet."""
    from analysis.forecast.outlook import FIRST_SCORED_ORIGIN

    if not summary.made:
        return tx("outlook_accuracy_none", lang, year=FIRST_SCORED_ORIGIN[:4])
    first, last = summary.record_first, summary.record_last
    when = g.in_month(last, lang) if first == last else months_span(first, last, lang)
    values = {"when": when, "made": fmt_int(summary.made, lang), "hits": fmt_int(summary.hits, lang),
              "persistence": fmt_int(summary.persistence_hits, lang)}
    if summary.short_record:
        return tx("outlook_accuracy_short", lang, **values)
    return g.sentence(tx("outlook_accuracy", lang, share=share_words(summary.hits / summary.made, lang), **values))


def outlook_paragraphs(facts: ReviewFacts, lang: str) -> list[str]:
    """The skills-needs outlook six months ahead (:class:`analysis.forecast.outlook.OutlookSummary`) in
    two paragraphs: the groups expected in shortage with their probability, what shortage means and how
    many groups are expected in surplus; then how often the area's recent outlooks were right and, for a
    past period, what happened at the target month. Empty without an outlook."""
    from analysis.indicators.skills import SURPLUS_BELOW

    summary = facts.outlook
    if summary is None or not summary.groups:
        return []
    first = _outlook_shortage_sentences(summary, lang)
    per = fmt_int(1 / SURPLUS_BELOW, lang)
    surplus = len(summary.surplus)
    first.append(tx("outlook_definition", lang))
    first.append(tx("outlook_surplus", lang, per=per, n=surplus, total=len(summary.groups)) if surplus else
                 tx("outlook_surplus_none", lang, per=per))
    shown = {*summary.shortage[:2 * OUTLOOK_NAMED], *summary.groups[:OUTLOOK_CHART_GROUPS]}  # sentence and chart
    codes = sorted({x.code for x in shown if x.name_fi and not x.name_sv})
    if lang == "sv" and codes:
        key = "occupations_name_in_finnish" if len(codes) == 1 else "occupations_names_in_finnish"
        first.append(tx(key, lang, codes=g.join_and(codes, lang)))
    second = [outlook_accuracy_sentence(summary, lang)]
    scored = summary.realised_scored
    if scored:
        hits = sum(x.realised == x.predicted for x in scored)
        second.append(g.sentence(tx("outlook_realised", lang, target=g.in_month(summary.target, lang),
                                    scored=fmt_int(len(scored), lang), hits=fmt_int(hits, lang))))
    return [" ".join(first), " ".join(second)]


def outlook_figure(facts: ReviewFacts, lang: str) -> html.HTML | None:
    """Horizontal bars of the probability of shortage six months ahead for the :data:`OUTLOOK_CHART_GROUPS`
    groups where it is largest, each group's name above its bar (a phone's width leaves no room for names
    beside the bars), darker where the outlook is shortage; the numbers (class now, outlook, probability,
    and what happened where the data hold it) in the table under the chart. None without an outlook."""
    import textwrap

    from analysis.forecast.outlook import CLASS_NAMES
    from analysis.present.figures import PHONE_CHART_WIDTH, new_figure, pct_axis
    from analysis.present.skills import class_label

    summary = facts.outlook
    if summary is None or not summary.groups:
        return None
    shown = summary.groups[:OUTLOOK_CHART_GROUPS]
    names = [g.sentence(_outlook_name(x, lang)) for x in shown]
    wrapped = [textwrap.wrap(name, 50) for name in names]
    tops, y = [], 0.0
    for lines in wrapped:  # each row: its name's lines, then the bar
        tops.append(y)
        y += 0.32 * len(lines) + 0.62
    fig, ax = new_figure(PHONE_CHART_WIDTH, 0.55 + 0.62 * y)
    fig.subplots_adjust(left=0.03, right=0.97)  # no names beside the bars: the axes take the chart's width
    dark, light = "#0b5394", "#9ecae1"
    for top, lines, group in zip(tops, wrapped, shown):
        bar = top + 0.32 * len(lines) + 0.22
        ax.text(0.8, top + 0.32 * len(lines), "\n".join(lines), ha="left", va="bottom", fontsize=11, linespacing=1.1)
        ax.barh(bar, 100 * group.p_shortage, height=0.36, color=dark if group.predicted == "shortage" else light)
        ax.text(100 * group.p_shortage + 1.5, bar, fmt_pct(100 * group.p_shortage, 0, lang), va="center", fontsize=11)
    ax.set_xlim(0, 112)  # room for "100 %" after a full bar
    ax.set_xticks([0, 25, 50, 75, 100])  # the line at a half: where shortage becomes the likelier outcome
    ax.set_ylim(y, -0.1)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    pct_axis(ax, lang, axis="x")
    ax.set_xlabel(tx("outlook_axis", lang))
    from matplotlib.patches import Patch
    from matplotlib.transforms import offset_copy

    below_axis = offset_copy(ax.transAxes, fig=fig, y=-0.5, units="inches")  # under the ticks and the axis label
    ax.legend(handles=[Patch(color=dark, label=tx("outlook_legend_shortage", lang)),
                       Patch(color=light, label=tx("outlook_legend_other", lang))],
              loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=below_axis, ncol=1, frameon=False)
    target = g.in_month(summary.target, lang)
    alt = tx("outlook_alt", lang, target=target, n=len(shown), items=_outlook_items(shown[:3], lang))

    def label(cls: str | None) -> str:
        """A class in words; that it could not be told (small or suppressed counts); "–" where not known."""
        if cls is None:
            return MISSING
        return class_label(cls, lang) if cls in CLASS_NAMES else tx("outlook_class_unknown", lang)

    data = {
        tx("outlook_col_group", lang): [f"{x.code} {x.name(lang)}".strip() for x in shown],
        tx("outlook_col_now", lang, month=g.in_month(summary.origin, lang)): [label(x.class_now) for x in shown],
        tx("outlook_col_predicted", lang, month=target): [label(x.predicted) for x in shown],
        tx("outlook_col_p_shortage", lang): [fmt_pct(100 * x.p_shortage, 0, lang) for x in shown],
    }
    if summary.realised_held:
        data[tx("outlook_col_realised", lang, month=target)] = [label(x.realised) for x in shown]
    caption = tx("outlook_caption", lang, target=target, n=len(shown))
    return html.figure(fig, alt, caption, pd.DataFrame(data), lang)


def outlook_blocks(facts: ReviewFacts, lang: str) -> list[html.HTML]:
    """The main page's part on the skills-needs outlook: its heading, two paragraphs
    (:func:`outlook_paragraphs`; the region's groups said to be the region's, as the occupations above
    them) and the chart (:func:`outlook_figure`); empty without an outlook."""
    paragraphs = outlook_paragraphs(facts, lang)
    if not paragraphs:
        return []
    scope = facts.scope
    if facts.occupation_context and scope.region:
        paragraphs[0] = f"{tx('occupations_context', lang, region=area_name(scope.region, scope, lang))} {paragraphs[0]}"
    blocks = [html.heading(tx("outlook_heading", lang), 2, "outlook"), *(html.paragraph(p) for p in paragraphs)]
    fig = outlook_figure(facts, lang)
    return blocks + ([fig] if fig is not None else [])
