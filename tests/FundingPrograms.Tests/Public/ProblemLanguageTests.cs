using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Proofs;

namespace FundingPrograms.Tests.Public;

/// <summary>Sends a request with or without Accept-Language and compares the problem with its English one.</summary>
internal static class ProblemsInLanguages
{
    /// <summary>The six languages besides English.</summary>
    public static readonly string[] Languages = ["de", "tr", "ar", "uk", "ru", "fa"];

    /// <summary>A raw request body (a file, a CSV list) with its content type and the expected version as If-Match.</summary>
    public sealed record RawBody(byte[] Bytes, string ContentType, long Version);

    public static async Task<(JsonElement Body, string ContentLanguage)> Problem(this IAlbaHost host, string method, string url, string? language, int status,
        string? token = null, object? body = null, RawBody? raw = null)
    {
        var result = await host.Scenario(s =>
        {
            if (language is not null) s.WithRequestHeader("Accept-Language", language);
            if (token is not null) s.WithRequestHeader("Authorization", $"Bearer {token}");
            if (raw is not null)
            {
                var parts = url.Split('?', 2);
                var send = s.Post.ByteArray(raw.Bytes).ToUrl(parts[0]); // Alba escapes a '?' in the url: the query goes separately
                if (parts.Length > 1)
                    foreach (var pair in parts[1].Split('&').Select(p => p.Split('=', 2))) send.QueryString(pair[0], Uri.UnescapeDataString(pair[1]));
                s.WithRequestHeader("Content-Type", raw.ContentType);
                s.WithRequestHeader("If-Match", $"\"{raw.Version}\"");
            }
            else if (method == "POST") s.Post.Json(body ?? new { }).ToUrl(url);
            else if (method == "PUT") s.Put.Json(body ?? new { }).ToUrl(url);
            else s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        });
        return (result.ShouldBeProblem(status), result.Context.Response.Headers.ContentLanguage.ToString());
    }

    /// <summary>
    /// The same request in English and in a language: the title, the detail and every field message differ from their English
    /// ones (none left untranslated). Returns the translated field messages (none when the problem has no 'errors').
    /// </summary>
    public static async Task<Dictionary<string, string[]>> EveryFieldTranslated(this IAlbaHost host, string method, string url, string language, int status,
        string token, object? body = null, RawBody? raw = null)
    {
        var english = (await host.Problem(method, url, null, status, token, body, raw)).Body;
        var (translated, contentLanguage) = await host.Problem(method, url, language, status, token, body, raw);
        contentLanguage.ShouldBe(language);
        translated.GetProperty("title").GetString().ShouldNotBe(english.GetProperty("title").GetString(), $"{language}: the title is still English");
        translated.GetProperty("detail").GetString().ShouldNotBe(english.GetProperty("detail").GetString(), $"{language}: the detail is still English");
        if (!english.TryGetProperty("errors", out var englishErrors))
        {
            translated.TryGetProperty("errors", out _).ShouldBeFalse();
            return [];
        }
        var fields = translated.GetProperty("errors").EnumerateObject().ToDictionary(f => f.Name, f => f.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
        fields.Keys.Order().ShouldBe(englishErrors.EnumerateObject().Select(f => f.Name).Order());
        foreach (var (field, messages) in fields)
        {
            messages.Length.ShouldBe(english.FieldErrors(field).Length);
            for (var i = 0; i < messages.Length; i++)
                messages[i].ShouldNotBe(english.FieldErrors(field)[i], $"{language}: the message for {field} is still English");
        }
        return fields;
    }
}

/// <summary>Problem titles and the generic details follow Accept-Language in the seven languages; English stays the default.</summary>
public sealed class when_a_client_asks_for_problems_in_its_language(AppFixture app) : ApiTest(app)
{
    private Task<(JsonElement Body, string ContentLanguage)> Problem(string method, string url, string? language, int status, string? token = null, object? body = null) =>
        Host.Problem(method, url, language, status, token, body);

    [Fact]
    public async Task titles_and_generic_details_are_translated()
    {
        var (notFound, language) = await Problem("GET", $"/programmes/{Guid.NewGuid()}", "tr-TR, en;q=0.5", 404, Officer);
        notFound.GetProperty("title").GetString().ShouldBe("Bulunamadı.");
        language.ShouldBe("tr");

        var (invalid, german) = await Problem("POST", "/programmes", "de", 400, Officer, new { name = new { en = "x" } });
        invalid.GetProperty("title").GetString().ShouldBe("Ein oder mehrere Felder sind ungültig.");
        invalid.GetProperty("detail").GetString().ShouldBe("Bitte korrigieren Sie die unter 'errors' genannten Felder.");
        invalid.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty(); // an officer's form: its rule-specific messages stay English
        german.ShouldBe("de");

        var (unauthenticated, arabic) = await Problem("GET", "/programmes", "ar", 401);
        unauthenticated.GetProperty("title").GetString().ShouldBe("يلزم تسجيل الدخول.");
        unauthenticated.GetProperty("detail").GetString()!.ShouldContain("Authorization: Bearer <token>");
        arabic.ShouldBe("ar");

        var (forbidden, _) = await Problem("GET", "/reports/funding", "uk", 403, Applicant(Guid.NewGuid()));
        forbidden.GetProperty("title").GetString().ShouldBe("Вам не дозволено це робити.");
    }

    private Task<Dictionary<string, string[]>> EveryFieldTranslated(string method, string url, string language, int status, string token, object? body = null) =>
        Host.EveryFieldTranslated(method, url, language, status, token, body);

    [Fact]
    public async Task an_organisations_form_errors_come_in_the_applicants_language_with_their_values()
    {
        var body = ApplicationSamples.Organisation().With("organisationType", "company").With("district", "99999")
            .With("contactPersons", new[] { new { name = "X", role = "Y", email = "not-an-email" } })
            .With("address", new { street = "a", postalCode = "123", city = "b" }).With("taxOfficeNoticeDate", null)
            .With("bankAccount", new { iban = "DE8937040044053201300", holderName = "Verein Brücke e.V." });
        foreach (var language in new[] { "de", "tr", "ar", "uk", "ru", "fa" })
        {
            var fields = await EveryFieldTranslated("POST", "/organisations", language, 400, Officer, body);
            if (language == "tr")
            {
                fields["address.postalCode"].ShouldBe(["Alman posta kodu 5 rakamdan oluşur."]);
                fields["bankAccount.iban"].ShouldBe(["DE ülkesinden bir IBAN 22 karakterden oluşur; bu IBAN 21 karakter."]);
            }
        }
    }

    [Fact]
    public async Task an_incomplete_application_is_refused_in_the_applicants_language()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var applicant = Applicant(org);
        var id = await this.Draft(applicant, call, new Dictionary<string, object?> { ["title"] = "Sprachcafé" });
        foreach (var language in new[] { "de", "tr", "ar", "uk", "ru", "fa" })
            await EveryFieldTranslated("POST", $"/applications/{id}/submit", language, 422, applicant, new { version = 1 });
        var (arabic, _) = await Problem("POST", $"/applications/{id}/submit", "ar", 422, applicant, new { version = 1 });
        arabic.GetProperty("detail").GetString().ShouldBe("لا يمكن تقديم الطلب بعد: يرجى تصحيح الحقول المذكورة في 'errors'.");
        arabic.FieldErrors("periodStart").ShouldBe(["بداية فترة التمويل مطلوبة."]);
        (await AllEvents()).Count(e => e.EventTypeName == "application_submitted").ShouldBe(0);
    }

    [Fact]
    public async Task an_application_over_the_programmes_caps_is_refused_in_the_applicants_language_with_its_figures()
    {
        var (_, call) = await this.OpenCall(Officer, App.Clock);
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Founder", sub: "founder"), Officer);
        var applicant = Applicant(org);
        var content = ApplicationSamples.Content(App.Clock).With("requestedAmount", 8500m).With("ownCash", 0m).With("ownVolunteerWork", 1000m);
        var id = await this.Draft(applicant, call, content);
        foreach (var language in new[] { "de", "tr", "ar", "uk", "ru", "fa" })
        {
            var fields = await EveryFieldTranslated("POST", $"/applications/{id}/submit", language, 422, applicant, new { version = 1 });
            fields.Keys.ShouldContain("requestedAmount");
            fields.Keys.ShouldContain("ownCash");
            if (language == "de") fields["ownCash"][0].ShouldStartWith("Der Eigenanteil muss mindestens ");
        }
    }

    /// <summary>Messages of states a scenario here does not reach (a revoked or closed grant, a full proof): as the code writes them.</summary>
    [Fact]
    public void the_rarer_messages_of_drawdowns_proofs_and_applications_are_translated_with_their_values()
    {
        string[] english =
        [
            "The grant is wholly revoked (§§ 48, 49 VwVfG NRW): no money can be requested on it.",
            "The final proof of use is submitted: no more money can be drawn; the final notice settles what is still owed (ANBest-P Nr. 6.1, VV Nr. 11 zu § 44 LHO).",
            "The grant is closed by its final notice: no more drawdowns; what the final notice left to pay is paid by the authority.",
            "ANBest-P Nr. 1.4, 6.1: drawdowns are possible until the proof of use is due (2028-06-30); that date has passed.",
            "The grant is closed.",
            "The grant already has an interim proof for 2027: /proofs/0190a1b2-0000-7000-8000-000000000001.",
            "A proof has at most 50 attachments.",
            "At most 5000 receipts per proof.",
            "The file is empty: send a header line and one line per receipt.",
            "More than 100 lines have errors; the rest was not checked.",
            "The proof is inexamination: after submission it is frozen.",
            "The application is already approved.",
            "A final proof lists its receipts.",
        ];
        foreach (var language in ProblemsInLanguages.Languages.Select(FundingPrograms.Public.PublicTexts.For))
            foreach (var message in english)
                FundingPrograms.Public.ProblemLanguage.Translate(language, message).ShouldNotBe(message, $"{language.Code}: {message}");
        var german = FundingPrograms.Public.PublicTexts.For("de");
        FundingPrograms.Public.ProblemLanguage.Translate(german, english[3]).ShouldContain("(2028-06-30)");
        FundingPrograms.Public.ProblemLanguage.Translate(german, english[5])
            .ShouldBe("Die Zuwendung hat bereits einen Zwischennachweis für 2027: /proofs/0190a1b2-0000-7000-8000-000000000001.");
    }

    [Fact]
    public async Task without_one_of_the_seven_languages_problems_stay_english()
    {
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", null, 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "fr, it;q=0.8", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "en, de;q=0.5", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "*", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
    }
}

/// <summary>
/// After the grant: what an applicant meets when drawing money (Mittelabruf), writing a proof of use (Verwendungsnachweis) and
/// changing the organisation's bank account, language or applications comes in the applicant's language, with its figures.
/// </summary>
public sealed class when_a_client_asks_for_problems_after_the_grant_in_its_language(AppFixture app) : ProofTest(app)
{
    private static readonly string[] Languages = ProblemsInLanguages.Languages;

    [Fact]
    public async Task a_bad_drawdown_request_is_refused_in_the_applicants_language_with_its_figures()
    {
        var grant = await ApprovedGrant("share", "Koordination");
        App.Clock.Set(new DateTimeOffset(FundingYear - 1, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var url = $"/grants/{grant}/drawdowns";
        var before = (await AllEvents()).Count;
        foreach (var language in Languages)
        {
            var form = await Host.EveryFieldTranslated("POST", url, language, 400, ApplicantToken, new { amount = -5m, amountDue = 0.001m });
            form.Keys.Order().ShouldBe(["amount", "amountDue", "neededOn", "purpose"]);

            // Share financing: the amount due is needed, of which the grant pays its share.
            var noDue = await Host.EveryFieldTranslated("POST", url, language, 422, ApplicantToken,
                new { amount = 700m, neededOn = $"{FundingYear}-01-15", purpose = "Honorare" });
            noDue.Keys.ShouldBe(["amountDue"]);

            // More than the share of what is due and than remains, outside the period and too early, a share below a cent.
            var tooMuch = await Host.EveryFieldTranslated("POST", url, language, 422, ApplicantToken,
                new { amount = 7500m, amountDue = 0.01m, neededOn = $"{FundingYear + 1}-03-01", purpose = "Honorare" });
            tooMuch["amount"].Length.ShouldBe(2);
            tooMuch["neededOn"].Length.ShouldBe(2);
            tooMuch["amountDue"].Length.ShouldBe(1);
            if (language == "de")
            {
                tooMuch["amount"][1].ShouldStartWith("ANBest-P Nr. 1.4: Von den bewilligten 7");
                tooMuch["amount"][1].ShouldEndWith(" EUR abgerufen werden.");
            }
            tooMuch["amount"][0].ShouldContain("(70 %)", customMessage: language);
            if (language != "de") tooMuch["amount"][0].ShouldContain("(Mittelabruf)", customMessage: language);
        }
        var (turkish, _) = await Host.Problem("POST", url, "tr", 422, ApplicantToken, new { amount = 700m, neededOn = $"{FundingYear}-01-15", purpose = "Honorare" });
        turkish.GetProperty("detail").GetString()!.ShouldContain("hibe bunun 70 %'ini öder");
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_bad_proof_draft_is_refused_in_the_applicants_language()
    {
        var grant = await ApprovedGrant("share", "Koordination");
        var url = $"/grants/{grant}/proofs";
        var before = (await AllEvents()).Count;
        var bad = new
        {
            kind = "interim", budgetYear = 1999,
            content = new
            {
                report = new
                {
                    participants = new object[] { new { targetGroup = "aliens", count = -1 }, new { targetGroup = "aliens", count = 1 } },
                },
                numbers = new { lines = new object[] { new { line = 9, actual = -1m }, new { line = 9, actual = 1m } } },
                receipts = new object[] { new { number = "", date = "2020-01-01", payee = "Vermieter", purpose = "Miete", planLine = 0, amount = 0m, paidOn = "1999-01-01" } },
            },
        };
        foreach (var language in Languages)
        {
            var fields = await Host.EveryFieldTranslated("POST", url, language, 400, ApplicantToken, bad);
            fields.Keys.ShouldContain("budgetYear");
            fields.Keys.ShouldContain("report.participants");
            fields.Keys.ShouldContain("numbers.lines[0].line");
            fields["receipts[0].paidOn"].Length.ShouldBe(2);
            fields["budgetYear"][0].ShouldContain(FundingYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Host.EveryFieldTranslated("POST", url, language, 400, ApplicantToken, new { kind = "weekly" });
            await Host.EveryFieldTranslated("POST", url, language, 400, ApplicantToken, new { kind = "interim" });
            await Host.EveryFieldTranslated("POST", url, language, 400, ApplicantToken, new { kind = "final", budgetYear = FundingYear });
        }
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task an_incomplete_proof_its_files_and_its_submission_are_refused_in_the_applicants_language()
    {
        var grant = await ApprovedGrant("share", "Koordination");
        var proof = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new { kind = "final", content = new { report = new { } } }, 201)).Body<CaseVersion>().Id;
        var csv = "text/csv; charset=utf-8";
        var before = (await AllEvents()).Count;
        foreach (var language in Languages)
        {
            // Not yet complete: no report, no costs, no receipts.
            var incomplete = await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/submit", language, 422, ApplicantToken, new { version = 1 });
            incomplete.Keys.Order().ShouldBe(["numbers.lines", "receipts", "report.activities", "report.results"]);
            // A bad edit.
            await Host.EveryFieldTranslated("PUT", $"/proofs/{proof}", language, 400, ApplicantToken,
                new { content = new { numbers = new { lines = new object[] { new { line = 3, actual = 1.001m } } } }, version = 1 });
            // Files: a path as its name, a type that is none of the accepted ones, an empty body, a CSV list with errors.
            await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/attachments?fileName=Belege/Miete.pdf", language, 400, ApplicantToken,
                raw: new(Pdf, "application/pdf", 1));
            await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/attachments?fileName=Miete.txt", language, 415, ApplicantToken,
                raw: new("Miete Januar"u8.ToArray(), "text/plain", 1));
            await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/attachments?fileName=Miete.pdf", language, 400, ApplicantToken,
                raw: new([], "application/pdf", 1));
            await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/receipts", language, 415, ApplicantToken,
                raw: new("Belegnummer;Datum"u8.ToArray(), "application/xml", 1));
            var header = await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/receipts", language, 400, ApplicantToken,
                raw: new("Nummer;Tag\r\nH-1;1.1.2027\r\n"u8.ToArray(), csv, 1));
            header["line 1"].Length.ShouldBe(6);
            var cells = await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/receipts", language, 400, ApplicantToken,
                raw: new("Belegnummer;Datum;Zahlungsempfänger;Verwendungszweck;Position;Betrag;Bezahlt am\r\nH-1;32.13.2027;Honorarkraft;Kurs;eins;zwölf;gestern\r\n"u8.ToArray(), csv, 1));
            cells.Count.ShouldBe(4);
        }
        var (persian, _) = await Host.Problem("POST", $"/proofs/{proof}/receipts", "fa", 400, ApplicantToken,
            raw: new("Nummer;Tag\r\nH-1;1.1.2027\r\n"u8.ToArray(), csv, 1));
        persian.GetProperty("title").GetString().ShouldBe("فایل CSV خطا دارد.");
        var (english, _) = await Host.Problem("POST", $"/proofs/{proof}/attachments?fileName=Miete.txt", null, 415, ApplicantToken,
            raw: new("Miete Januar"u8.ToArray(), "text/plain", 1));
        english.GetProperty("detail").GetString()!.ShouldStartWith("The file is not a PDF"); // the service's own check, not a content-type filter
        (await AllEvents()).Count.ShouldBe(before);

        // Receipts outside the period, paid before it, and a plan line whose receipts do not add up.
        var receipts = new[]
        {
            new { number = "H-1", date = $"{FundingYear - 1}-12-30", payee = "Honorarkraft", purpose = "Vorbereitung", planLine = 1, amount = 800m, paidOn = $"{FundingYear - 1}-12-30" },
        };
        await Put(ApplicantToken, $"/proofs/{proof}", new { content = new { report = Report(), numbers = Numbers(), receipts }, version = 1 });
        before = (await AllEvents()).Count;
        foreach (var language in Languages)
        {
            var findings = await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/submit", language, 422, ApplicantToken, new { version = 2 });
            findings.Keys.Order().ShouldBe(["numbers.lines.1", "numbers.lines.2", "receipts[0].date", "receipts[0].paidOn"]);
            findings["receipts[0].date"][0].ShouldContain($"30.12.{FundingYear - 1}", customMessage: language);
            findings["numbers.lines.1"][0].ShouldContain("Stelle Koordination", customMessage: language);
        }
        (await AllEvents()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_submitted_proof_is_frozen_in_the_applicants_language()
    {
        var grant = await ApprovedGrant("share", "Koordination");
        // Submitted without a payment booked: the grant received it states is only flagged.
        var proof = (await Post(ApplicantToken, $"/grants/{grant}/proofs", new { kind = "final", content = new { report = Report(), numbers = Numbers() } }, 201))
            .Body<CaseVersion>().Id;
        await Upload(ApplicantToken, $"/proofs/{proof}/receipts", ReceiptsCsv(), "text/csv", 200, version: 1);
        await Post(ApplicantToken, $"/proofs/{proof}/submit", new { version = 2 });
        var version = await ProofVersion(proof);
        foreach (var language in Languages)
        {
            await Host.EveryFieldTranslated("PUT", $"/proofs/{proof}", language, 409, ApplicantToken, new { content = new { report = Report() }, version });
            await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/submit", language, 409, ApplicantToken, new { version });
            await Host.EveryFieldTranslated("POST", $"/proofs/{proof}/receipts", language, 409, ApplicantToken, raw: new(ReceiptsCsv(), "text/csv", version));
            await Host.EveryFieldTranslated("POST", $"/grants/{grant}/proofs", language, 409, ApplicantToken, new { kind = "final" });
        }
        var (ukrainian, _) = await Host.Problem("POST", $"/grants/{grant}/proofs", "uk", 409, ApplicantToken, new { kind = "final" });
        ukrainian.GetProperty("detail").GetString().ShouldBe($"Грант уже має остаточний звіт про використання коштів (Verwendungsnachweis): /proofs/{proof}.");
    }

    [Fact]
    public async Task a_bad_bank_account_change_a_language_that_is_none_and_a_second_withdrawal_are_refused_in_the_applicants_language()
    {
        var application = await this.Draft(ApplicantToken, CallId, new Dictionary<string, object?> { ["title"] = "Sprachcafé" });
        await Post(ApplicantToken, $"/applications/{application}/withdraw", new { version = 1 });
        var before = (await AllEvents()).Count;
        foreach (var language in Languages)
        {
            var account = await Host.EveryFieldTranslated("POST", $"/organisations/{OrgId}/bank-accounts", language, 400, ApplicantToken,
                new { iban = "DE8937040044053201300", bic = "COBA", holderName = "", reason = new string('r', 2001), version = 3 });
            account.Keys.Order().ShouldBe(["bic", "holderName", "iban", "reason"]);
            await Host.EveryFieldTranslated("POST", $"/organisations/{OrgId}/language", language, 400, ApplicantToken, new { language = "xx", version = 3 });
            await Host.EveryFieldTranslated("POST", $"/applications/{application}/withdraw", language, 400, ApplicantToken,
                new { reason = new string('r', 2001), version = 2 });
            await Host.EveryFieldTranslated("POST", $"/applications/{application}/withdraw", language, 409, ApplicantToken, new { version = 2 });
        }
        var (russian, _) = await Host.Problem("POST", $"/organisations/{OrgId}/bank-accounts", "ru", 400, ApplicantToken,
            new { iban = "DE89370400440532013000", bic = "COBA", holderName = "Verein Brücke e.V.", version = 3 });
        russian.FieldErrors("bic").ShouldBe(["BIC состоит из 8 или 11 символов, например COBADEFFXXX."]);
        (await AllEvents()).Count.ShouldBe(before);
    }
}
