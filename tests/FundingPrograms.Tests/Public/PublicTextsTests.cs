using System.Text.RegularExpressions;
using FundingPrograms.Public;
using FundingPrograms.ReferenceData;

namespace FundingPrograms.Tests.Public;

/// <summary>The resource files of the public pages: every key in every language, the same placeholders, no German left over.</summary>
public sealed partial class the_public_texts
{
    /// <summary>Values that are rightly the same word in German and another language.</summary>
    private static readonly HashSet<(string Language, string Key)> SameAsGerman = [("tr", "contact.phone")];

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesis();

    [GeneratedRegex(@"\b(und|oder|der|die|das|den|dem|nicht|für|werden|wird|Sie|Ihre|ist|mit|zum|zur|bis|auf|eine|einen)\b")]
    private static partial Regex GermanWord();

    [Fact]
    public void exist_in_the_seven_languages_german_first_arabic_and_persian_right_to_left()
    {
        PublicTexts.Languages.Select(l => l.Code).ShouldBe(["de", "en", "tr", "ar", "uk", "ru", "fa"]);
        PublicTexts.Languages.Where(l => l.RightToLeft).Select(l => l.Code).ShouldBe(["ar", "fa"]);
        PublicTexts.All.Keys.Order().ShouldBe(PublicTexts.Languages.Select(l => l.Code).Order());
    }

    [Fact]
    public void every_language_has_every_key_with_the_same_placeholders_and_no_german_left()
    {
        var german = PublicTexts.All["de"];
        german.Count.ShouldBeGreaterThan(100);
        var problems = new List<string>();
        foreach (var (code, texts) in PublicTexts.All.Where(l => l.Key != "de"))
        {
            problems.AddRange(german.Keys.Except(texts.Keys).Select(k => $"{code}: '{k}' is missing"));
            problems.AddRange(texts.Keys.Except(german.Keys).Select(k => $"{code}: '{k}' is not in the German file"));
            foreach (var (key, value) in texts.Where(t => german.ContainsKey(t.Key)))
            {
                if (string.IsNullOrWhiteSpace(value)) problems.Add($"{code}: '{key}' is empty");
                var want = PublicTexts.Placeholder().Matches(german[key]).Select(m => m.Value).Order();
                var have = PublicTexts.Placeholder().Matches(value).Select(m => m.Value).Order();
                if (!want.SequenceEqual(have)) problems.Add($"{code}: '{key}' has placeholders {string.Join(",", have)}, German {string.Join(",", want)}");
                if (value == german[key] && !SameAsGerman.Contains((code, key))) problems.Add($"{code}: '{key}' is the German text");
                // German words are allowed only as the legal term in brackets beside the translation.
                if (GermanWord().Match(Parenthesis().Replace(value, "")) is { Success: true } word)
                    problems.Add($"{code}: '{key}' contains the German word '{word.Value}': {value}");
                if (german.Values.Where(g => g.Length > 25).FirstOrDefault(g => Parenthesis().Replace(value, "").Contains(g, StringComparison.Ordinal)) is { } sentence)
                    problems.Add($"{code}: '{key}' contains the German sentence '{sentence}'");
            }
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void name_every_classification_the_pages_show()
    {
        var reference = ReferenceCatalogue.Instance;
        var keys = reference.TargetGroups.Select(g => "group." + g.Code)
            .Concat(reference.OrganisationTypes.Select(o => "orgtype." + o.Code))
            .Concat(reference.TargetDimensions.Select(d => "dim." + d.Code))
            .Concat(["fin.type.share", "fin.type.gap", "fin.type.fixedAmount", "fin.type.full"]);
        foreach (var key in keys) PublicTexts.All["de"].ShouldContainKey(key);
    }

    [Fact]
    public void translations_name_the_german_legal_term_beside_them()
    {
        foreach (var (code, texts) in PublicTexts.All.Where(l => l.Key != "de"))
        {
            texts["fin.noEarlyStart"].ShouldContain("(Zuwendungsbescheid)", customMessage: code);
            texts["apply.step4"].ShouldContain("(Mittelabruf)", customMessage: code);
            texts["apply.step4"].ShouldContain("(Verwendungsnachweis)", customMessage: code);
            texts["fin.ownContribution"].ShouldContain("(Eigenanteil)", customMessage: code);
        }
    }

    /// <summary>The notifications' texts (Notifications/NotificationTexts): each one the code writes, in every language (the test above checks them all).</summary>
    [Fact]
    public void have_every_notification_text_with_the_german_term_of_each_decision()
    {
        string[] notices =
        [
            "approved", "rejected", "earlyStart", "amended", "drawdownRefused", "proofReturned", "proofReceived", "finalNotice", "claim", "interestClaim",
            "dunning", "hearing",
        ];
        var keys = notices.SelectMany(n => new[] { $"notify.{n}.subject", $"notify.{n}.body" }).Where(k => k != "notify.revoked.body")
            .Concat(["notify.revoked.subject", "notify.revoked.whole", "notify.revoked.partial", "notify.and", "notify.dunning.statement",
                "notify.finalNotice.toRecover", "notify.finalNotice.toPay", "notify.finalNotice.balanced", "notify.proofKind.final", "notify.proofKind.interim"])
            .Concat(new[] { "amount", "period", "yearSplit", "conditions", "generalConditionsVersion", "budgetLine", "financingType", "sharePercent", "maximum", "purpose" }
                .Select(t => "notify.term." + t));
        foreach (var key in keys) PublicTexts.All["de"].ShouldContainKey(key);
        var terms = new Dictionary<string, string>
        {
            ["notify.approved.subject"] = "(Zuwendungsbescheid)", ["notify.rejected.subject"] = "(Ablehnungsbescheid)",
            ["notify.amended.subject"] = "(Änderungsbescheid)", ["notify.earlyStart.subject"] = "(vorzeitiger Maßnahmebeginn)",
            ["notify.drawdownRefused.subject"] = "(Mittelabruf)", ["notify.finalNotice.subject"] = "(Schlussbescheid)",
            ["notify.claim.subject"] = "(Rückforderung)", ["notify.interestClaim.subject"] = "(Zinsforderung)",
            ["notify.revoked.subject"] = "(Widerrufsbescheid)", ["notify.dunning.subject"] = "(Mahnung)", ["notify.hearing.subject"] = "(Anhörung)",
        };
        foreach (var (code, texts) in PublicTexts.All.Where(l => l.Key != "de"))
            foreach (var (key, term) in terms)
                texts[key].ShouldContain(term, customMessage: $"{code}: {key}");
    }

    [Fact]
    public void amounts_keep_eur_and_persian_uses_its_digits_and_dates_are_gregorian()
    {
        PublicTexts.For("de").Money(15000m).ShouldBe("15.000 EUR");
        PublicTexts.For("en").Money(1234.5m).ShouldBe("1,234.50 EUR");
        PublicTexts.For("fa").Money(15000m).ShouldEndWith(" EUR");
        PublicTexts.For("fa").Money(15000m).ShouldContain("۱۵");
        PublicTexts.For("de").Date(new DateOnly(2027, 3, 5)).ShouldBe("5. März 2027");
        PublicTexts.For("ar").Date(new DateOnly(2027, 3, 5)).ShouldContain("2027");
        PublicTexts.For("fa").Date(new DateOnly(2027, 3, 5)).ShouldContain("۲۰۲۷");
        PublicTexts.For("ar").H("fin.range", ("min", "1,000 EUR"), ("max", "15,000 EUR")).ShouldContain("<bdi dir=\"ltr\">15,000 EUR</bdi>");
        PublicTexts.For("fa").H("call.daysLeft", ("days", "۱۲")).ShouldContain("<bdi dir=\"ltr\">۱۲</bdi>");
        PublicTexts.For("de").H("fin.range", ("min", "1.000 EUR"), ("max", "15.000 EUR")).ShouldBe("Die Förderung beträgt zwischen 1.000 EUR und 15.000 EUR je Projekt.");
        PublicTexts.For("xx").Code.ShouldBe("de");
        PublicTexts.For("en-GB").Code.ShouldBe("en");
    }
}
