namespace FundingPrograms.Letters;

/// <summary>The letter types (<see cref="LetterIssued.Kind"/>) and what each is called, for the audit trail and the lists.</summary>
public static class LetterKinds
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["grant_notice"] = "grant notice (Zuwendungsbescheid)",
        ["amendment_notice"] = "amendment notice (Änderungsbescheid)",
        ["rejection_notice"] = "rejection notice (Ablehnungsbescheid)",
        ["early_start_approval"] = "early-start approval (Zustimmung zum vorzeitigen Maßnahmebeginn)",
        ["drawdown_refusal"] = "drawdown refusal (Ablehnung eines Mittelabrufs)",
        ["hearing_letter"] = "hearing letter (Anhörung)",
        ["revocation_notice"] = "revocation notice (Widerrufs- und Rückforderungsbescheid)",
        ["final_notice"] = "final notice (Schlussbescheid)",
        ["payment_demand"] = "payment demand (Leistungsbescheid und Zahlungsaufforderung)",
        ["reminder"] = "reminder (Mahnung)",
        ["deferral_notice"] = "deferral notice (Stundungsbescheid)",
        ["instalment_notice"] = "instalment notice (Ratenzahlungsbescheid)",
        ["waiver_notice"] = "waiver notice (Niederschlagung oder Erlass)",
    };

    public static string Name(string kind) => Names.TryGetValue(kind, out var name) ? name : kind;

    /// <summary>What the audit trail says of a <c>letter_issued</c> event: which letter, on which file, with which subject.</summary>
    public static string Describe(LetterIssued e) =>
        $"The {Name(e.Kind)} \"{e.Subject}\" (file {e.FileReference}) was rendered once as PDF/A-2b and HTML ({string.Join(", ", e.Files.Select(f => f.Name))}), "
        + "archived, and the SHA-256 of every file recorded; right after the decision's transaction, from the order stored in it.";
}
