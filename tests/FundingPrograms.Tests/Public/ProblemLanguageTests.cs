using System.Text.Json;
using Alba;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Public;

/// <summary>Problem titles and the generic details follow Accept-Language in the seven languages; English stays the default.</summary>
public sealed class when_a_client_asks_for_problems_in_its_language(AppFixture app) : ApiTest(app)
{
    private async Task<(JsonElement Body, string ContentLanguage)> Problem(string method, string url, string? language, int status, string? token = null, object? body = null)
    {
        var result = await Host.Scenario(s =>
        {
            if (language is not null) s.WithRequestHeader("Accept-Language", language);
            if (token is not null) s.WithRequestHeader("Authorization", $"Bearer {token}");
            if (method == "POST") s.Post.Json(body ?? new { }).ToUrl(url);
            else s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        });
        return (result.ShouldBeProblem(status), result.Context.Response.Headers.ContentLanguage.ToString());
    }

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

    /// <summary>The same request in English and in a language: every field message differs from its English one (none left untranslated).</summary>
    private async Task<Dictionary<string, string[]>> EveryFieldTranslated(string method, string url, string language, int status, string token, object? body = null)
    {
        var english = (await Problem(method, url, null, status, token, body)).Body;
        var (translated, contentLanguage) = await Problem(method, url, language, status, token, body);
        contentLanguage.ShouldBe(language);
        translated.GetProperty("detail").GetString().ShouldNotBe(english.GetProperty("detail").GetString(), $"{language}: the detail is still English");
        var fields = translated.GetProperty("errors").EnumerateObject().ToDictionary(f => f.Name, f => f.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
        fields.Keys.Order().ShouldBe(english.GetProperty("errors").EnumerateObject().Select(f => f.Name).Order());
        foreach (var (field, messages) in fields)
            for (var i = 0; i < messages.Length; i++)
                messages[i].ShouldNotBe(english.FieldErrors(field)[i], $"{language}: the message for {field} is still English");
        return fields;
    }

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

    [Fact]
    public async Task without_one_of_the_seven_languages_problems_stay_english()
    {
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", null, 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "fr, it;q=0.8", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "en, de;q=0.5", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "*", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
    }
}
