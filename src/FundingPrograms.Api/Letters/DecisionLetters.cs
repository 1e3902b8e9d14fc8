using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;
using FundingPrograms.Recovery;

namespace FundingPrograms.Letters;

/// <summary>
/// The letters of the decisions after the application: early-start approval, drawdown refusal, hearing, revocation and final
/// notice. German only (the binding language). Each is mapped from the decision's events; every one that is a
/// Verwaltungsakt ends with the Rechtsbehelfsbelehrung naming the programme's administrative court; the hearing letter
/// (§ 28 VwVfG NRW) is not one and has none.
/// </summary>
public static class DecisionLetters
{
    private const string Lang = "de";
    private static string M(decimal m) => LetterText.Money(m, Lang);
    private static string D(DateOnly d) => LetterText.Date(d, Lang);

    private static LetterDocument Letter(string kind, string title, string subject, LetterContext ctx, DateTimeOffset at, string? grantNumber,
        string[] decision, List<LetterSection> sections, string signer, string role) =>
        new(kind, Lang, true, ctx.Letterhead.ToLetterhead(), ctx.Addressee, LetterText.PlaceAndDate(ctx.Letterhead, at, Lang),
            LetterText.References(ctx, Lang, grantNumber), subject, LetterText.Salutation(Lang), decision, sections.ToArray(), LetterText.Closing(Lang),
            signer, role, null, $"{title} · Seite", title, LetterText.OnBehalf(Lang));

    private static string Numbered(int i, string heading) => $"{i}. {heading}";

    /// <summary>Zustimmung zum vorzeitigen Maßnahmebeginn (VV Nr. 1.3 zu § 44 LHO).</summary>
    public static LetterDocument EarlyStart(ApplicationEarlyStartApproved e, Application application, Programme? programme, LetterContext ctx)
    {
        var title = $"Zustimmung zum vorzeitigen Maßnahmebeginn {ctx.FileReference}";
        var project = application.Content.Title ?? "";
        return Letter("early_start_approval", title, $"{title} — Vorhaben „{project}“", ctx, e.At, null,
        [
            $"Für das Vorhaben „{project}“ im Förderprogramm „{programme?.Definition.Name.In(Lang) ?? ""}“ stimme ich dem vorzeitigen Maßnahmebeginn ab dem {D(e.From)} zu.",
            ApproveEarlyStartEndpoint.NoPromise,
        ],
        [
            LetterSection.Text("conditions", Numbered(1, "Hinweise"),
                "Mit dieser Zustimmung dürfen Sie ab dem genannten Tag Verträge schließen, die der Ausführung des Vorhabens zuzurechnen sind, ohne dass dies einer späteren Förderung entgegensteht. "
                + "Über den Antrag und die Höhe einer Zuwendung wird erst mit dem Zuwendungsbescheid entschieden; Ausgaben vor dem genannten Tag sind nicht zuwendungsfähig."),
            LetterSection.Text("reasons", Numbered(2, "Begründung"), $"Rechtsgrundlage: VV Nr. 1.3 zu § 44 LHO NRW.", $"Gründe: {e.Reason}"),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, Lang, "3."),
        ], e.OfficerName, "Bewilligungsstelle");
    }

    /// <summary>Ablehnung eines Mittelabrufs (ANBest-P Nr. 1.4).</summary>
    public static LetterDocument DrawdownRefusal(PaymentRefused e, Payment payment, Grant grant, Programme? programme, LetterContext ctx)
    {
        var title = $"Ablehnung des Mittelabrufs zum Zuwendungsbescheid {grant.Notice.Reference}";
        return Letter("drawdown_refusal", title, $"{title} — Vorhaben „{grant.Notice.ProjectTitle}“", ctx, e.At, grant.Notice.Reference,
        [
            $"Ihren Mittelabruf vom {D(BerlinTime.Today(payment.RequestedAt))} über {M(payment.Amount)} („{payment.Purpose}“, benötigt zum {D(payment.NeededOn)}) zum Zuwendungsbescheid {grant.Notice.Reference} lehne ich ab; der Betrag wird nicht ausgezahlt.",
        ],
        [
            LetterSection.Text("reasons", Numbered(1, "Begründung"),
                $"Zuwendungen dürfen nur angefordert werden, soweit sie innerhalb von zwei Monaten nach der Auszahlung für fällige Zahlungen benötigt werden; bei Anteilfinanzierung nur anteilig (Nr. 1.4 ANBest-P).",
                $"Gründe: {e.Reason}",
                "Der Betrag steht Ihnen im Rahmen des Zuwendungsbescheides für einen erneuten Mittelabruf wieder zur Verfügung."),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, Lang, "2."),
        ], e.RefusedByName, "Bewilligungsstelle");
    }

    /// <summary>Anhörung vor einem Widerruf (§ 28 Abs. 1 VwVfG NRW): not a Verwaltungsakt, so no Rechtsbehelfsbelehrung.</summary>
    public static LetterDocument Hearing(HearingLetterSent e, Grant grant, LetterContext ctx)
    {
        var title = $"Anhörung zum Zuwendungsbescheid {grant.Notice.Reference}";
        var facts = grant.Revocation.Facts.Select(f => $"{f.Facts} (bekannt seit {D(f.LearnedOn)})").ToArray();
        return Letter("hearing_letter", title, $"{title} — Vorhaben „{grant.Notice.ProjectTitle}“", ctx, e.At, grant.Notice.Reference,
        [
            $"Ich beabsichtige, in Bezug auf meinen Zuwendungsbescheid {grant.Notice.Reference} über {M(grant.Notice.GrantedAmount)} für das Vorhaben „{grant.Notice.ProjectTitle}“ eine Entscheidung zu treffen, die in Ihre Rechte eingreift. Vorher gebe ich Ihnen nach § 28 Abs. 1 VwVfG NRW Gelegenheit, sich zu den für die Entscheidung erheblichen Tatsachen zu äußern.",
            e.Text,
        ],
        [
            new LetterSection("facts", Numbered(1, "Sachverhalt"), facts.Length > 0 ? facts : ["—"], []),
            LetterSection.Text("reply", Numbered(2, "Ihre Äußerung"),
                $"Sie können sich bis zum {D(e.ReplyDueOn)} schriftlich oder elektronisch äußern. Geht bis dahin keine Äußerung ein, entscheide ich nach Aktenlage.",
                "Dieses Schreiben ist eine Anhörung und noch keine Entscheidung."),
        ], e.ByName, "Bewilligungsstelle");
    }

    /// <summary>Widerrufs- (und Rückforderungs-)bescheid (§§ 48, 49, 49a VwVfG NRW).</summary>
    public static LetterDocument Revocation(GrantRevoked r, Grant grant, Recovery.RecoveryClaimRaised? claim, Programme? programme, LetterContext ctx)
    {
        var recovers = r.RecoveryAmount > 0;
        var name = recovers ? "Widerrufs- und Rückforderungsbescheid" : "Widerrufsbescheid";
        var title = $"{name} zum Zuwendungsbescheid {grant.Notice.Reference}";
        var issuedOn = BerlinTime.Today(grant.Notices[0].IssuedAt);
        var decision = new List<string>
        {
            $"1. Meinen Zuwendungsbescheid {grant.Notice.Reference} vom {D(issuedOn)} für das Vorhaben „{grant.Notice.ProjectTitle}“ widerrufe ich mit Wirkung vom {D(r.EffectiveFrom)} {(r.Scope == RevocationScope.Whole ? "ganz" : "teilweise")}; die Zuwendung wird von {M(r.PreviousAmount)} auf {M(r.NewAmount)} festgesetzt.",
        };
        if (recovers)
        {
            decision.Add($"2. Der überzahlte Betrag von {M(r.RecoveryAmount)} ist nach § 49a Abs. 1 VwVfG NRW zu erstatten"
                + (claim is null ? "." : $", fällig am {D(claim.DueOn)}, unter Angabe des Kassenzeichens {claim.Reference}."));
            decision.Add($"3. {RevocationNotice.Interest}");
        }
        var hearing = grant.Revocation.Hearings.LastOrDefault() is { } h
            ? h.ReplyReceivedOn is { } received
                ? $"Sie wurden mit Schreiben vom {D(BerlinTime.Today(h.At))} angehört und haben sich am {D(received)} geäußert: {h.ReplySummary}"
                : $"Sie wurden mit Schreiben vom {D(BerlinTime.Today(h.At))} angehört; bis zum {D(h.ReplyDueOn)} ist keine Äußerung eingegangen."
            : "Von einer Anhörung wurde nach § 28 Abs. 2 VwVfG NRW abgesehen.";
        var years = new LetterTable("Zuwendung nach Haushaltsjahren", ["Haushaltsjahr", "Betrag"],
            r.Notice.YearSplit.Select(y => new[] { y.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), M(y.Amount) }).ToArray(), true, [1]);
        return Letter("revocation_notice", title, $"{title} — Vorhaben „{grant.Notice.ProjectTitle}“", ctx, r.At, grant.Notice.Reference, decision.ToArray(),
        [
            new LetterSection("terms", Numbered(1, "Festsetzung"),
                [$"Bisher bewilligt: {M(r.PreviousAmount)}; neu festgesetzt: {M(r.NewAmount)}; ausgezahlt: {M(r.Paid)}; zu erstatten: {M(r.RecoveryAmount)}."], [years]),
            LetterSection.Text("reasons", Numbered(2, "Begründung"),
                $"Rechtsgrundlage: {r.LegalBasis}.", r.Reasons, hearing,
                "Die Jahresfrist des § 48 Abs. 4 VwVfG NRW ist gewahrt. Bei der Ermessensausübung habe ich das öffentliche Interesse an der wirtschaftlichen und sparsamen Verwendung der Haushaltsmittel gegen Ihr Interesse am Behalten der Zuwendung abgewogen."),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, Lang, "3."),
        ], r.ApprovedByName, "Bewilligungsstelle");
    }

    /// <summary>Schlussbescheid nach Prüfung des Verwendungsnachweises (VV Nr. 11 zu § 44 LHO).</summary>
    public static LetterDocument FinalNotice(FinalNoticeIssued i, Grant grant, Programme? programme, LetterContext ctx)
    {
        var title = $"Schlussbescheid zum Zuwendungsbescheid {grant.Notice.Reference}";
        var decision = new List<string>
        {
            $"Nach Prüfung Ihres Verwendungsnachweises setze ich die Zuwendung für das Vorhaben „{grant.Notice.ProjectTitle}“ (Zuwendungsbescheid {grant.Notice.Reference}) endgültig auf {M(i.FinalAmount)} fest.",
        };
        if (i.ToRecover > 0)
            decision.Add($"Ausgezahlt wurden {M(i.Paid)}. Der überzahlte Betrag von {M(i.ToRecover)} ist nach § 49a Abs. 1 VwVfG NRW zu erstatten; die Zahlungsaufforderung mit dem Kassenzeichen erhalten Sie gesondert.");
        else if (i.ToPay > 0)
            decision.Add($"Ausgezahlt wurden {M(i.Paid)}. Der Restbetrag von {M(i.ToPay)} wird Ihnen ausgezahlt.");
        else
            decision.Add($"Ausgezahlt wurden {M(i.Paid)}; die Zuwendung ist ausgeglichen.");
        var figures = new LetterTable("Ergebnis der Prüfung", ["Angabe", "Betrag"],
        [
            ["Nachgewiesene Ausgaben", M(i.ProvedCosts)], ["Anerkannte zuwendungsfähige Ausgaben", M(i.RecognisedCosts)],
            ["Festgesetzte Zuwendung", M(i.FinalAmount)], ["Ausgezahlt", M(i.Paid)], ["Zu erstatten", M(i.ToRecover)], ["Noch auszuzahlen", M(i.ToPay)],
        ], true, [1]);
        return Letter("final_notice", title, $"{title} — Vorhaben „{grant.Notice.ProjectTitle}“", ctx, i.At, grant.Notice.Reference, decision.ToArray(),
        [
            new LetterSection("terms", Numbered(1, "Festsetzung"), [$"Der Verwendungsnachweis wurde am {D(i.ExaminedOn)} geprüft ({i.ProposedBy})."], [figures]),
            LetterSection.Text("reasons", Numbered(2, "Begründung"),
                $"Die Zuwendung wird nach dem Ergebnis der Prüfung des Verwendungsnachweises (VV Nr. 11 zu § 44 LHO NRW, ANBest-P Nr. 6) auf der Grundlage der anerkannten zuwendungsfähigen Ausgaben und der Finanzierungsart des Zuwendungsbescheides festgesetzt.",
                "Die Unterlagen zum Vorhaben sind fünf Jahre nach Vorlage des Verwendungsnachweises aufzubewahren (ANBest-P Nr. 6.9)."),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, Lang, "3."),
        ], i.ApprovedBy, "Bewilligungsstelle");
    }
}
