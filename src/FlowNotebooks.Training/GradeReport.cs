using System.Globalization;
using System.Net;
using System.Text;

namespace FlowNotebooks.Training;

/// <summary>
/// One student's grade as a page (grades/ID.html): score, then per question the answer given, right or wrong, and for
/// a wrong or missing one the expected answer and the reasoning to review. Everything printed is HTML-encoded.
/// </summary>
public static class GradeReport
{
    public static string Html(Exercise exercise, StudentGrade grade)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
          .Append(E($"{exercise.Name} · {grade.Student.Id}")).Append("</title>\n<style>")
          .Append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}")
          .Append("table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}")
          .Append(".right{color:#1a7f37}.wrong{color:#b42318}.problem{background:#fff4e5;padding:.6rem;border-left:4px solid #f79009}code{white-space:pre-wrap}")
          .Append("</style></head><body>\n");
        sb.Append("<h1>").Append(E(exercise.Title)).Append("</h1>\n");
        sb.Append("<p>Student <strong>").Append(E(grade.Student.Id)).Append("</strong>")
          .Append(grade.Student.Name.Length > 0 ? " (" + E(grade.Student.Name) + ")" : "")
          .Append(c, $": <strong class=\"score\">{grade.Score} of {grade.MaxScore}</strong> ({E(ScoreSheet.Status(grade.Status))}).</p>\n");
        if (grade.Problem is not null) sb.Append("<p class=\"problem\">").Append(E(grade.Problem)).Append("</p>\n");
        if (grade.Marks.Count > 0)
        {
            sb.Append("<table><thead><tr><th>Question</th><th>Your answer</th><th>Result</th><th>To review</th></tr></thead><tbody>\n");
            foreach (var m in grade.Marks)
            {
                var n = ExerciseNotebook.Number(exercise, m.Question);
                sb.Append(c, $"<tr id=\"{E(m.Question.Id)}\"><td>{n}. {E(m.Question.Text)}</td><td><code>{E(m.GivenText)}</code></td>");
                if (m.Correct)
                    sb.Append(c, $"<td class=\"right\">right ({m.Points} of {m.Question.Points})</td><td></td></tr>\n");
                else
                    sb.Append(c, $"<td class=\"wrong\">{(m.Answered ? "wrong" : "not answered")} (0 of {m.Question.Points})</td>")
                      .Append(c, $"<td>Expected: <code>{E(m.Expected)}</code><br>{E(m.Question.Reasoning)}<br><em>Hint:</em> {E(m.Question.Hint)}</td></tr>\n");
            }
            sb.Append("</tbody></table>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }
}
