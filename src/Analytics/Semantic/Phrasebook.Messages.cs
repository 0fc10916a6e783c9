namespace Agents.Analytics.Semantic;

internal static partial class Phrasebook
{
    private static readonly Dictionary<string, string[]> SuggestionsByLanguage = new(StringComparer.Ordinal)
    {
        ["en"] =
        [
            "What was revenue last month compared with the month before?",
            "Top 5 products by revenue this year",
            "Orders by channel in the last 30 days",
            "Average order value by month",
            "How many new customers did we get last quarter?",
            "Revenue on WhatsApp since Black Friday",
            "Most frequent questions this month",
        ],
        ["it"] =
        [
            "Qual è stato il fatturato del mese scorso rispetto al mese precedente?",
            "I 5 prodotti più venduti quest'anno",
            "Ordini per canale negli ultimi 30 giorni",
            "Scontrino medio per mese",
            "Quanti nuovi clienti abbiamo avuto nel trimestre scorso?",
            "Fatturato su WhatsApp dal Black Friday",
            "Domande più frequenti di questo mese",
        ],
        ["es"] =
        [
            "¿Cuáles fueron los ingresos del mes pasado frente al mes anterior?",
            "Los 5 productos más vendidos este año",
            "Pedidos por canal en los últimos 30 días",
            "Ticket medio por mes",
            "¿Cuántos clientes nuevos tuvimos el trimestre pasado?",
            "Ingresos por WhatsApp desde el Black Friday",
            "Preguntas más frecuentes de este mes",
        ],
    };

    public static IReadOnlyList<string> Suggestions(string language) => SuggestionsByLanguage[Lang(language)];

    /// <summary>The refusal sentence; <paramref name="detail"/> is the word not understood, or which limit was hit.</summary>
    public static string Refusal(string reason, string? detail, string language)
    {
        var word = detail is null ? "" : detail.Length > 40 ? detail[..40] + "…" : detail;
        return (Lang(language), reason) switch
        {
            ("it", "unsafe") => "Posso rispondere solo a domande sui numeri del tuo negozio: questa richiesta sembra un'istruzione o del codice, quindi non la eseguo.",
            ("it", "other_merchant") => "Vedo solo i dati del tuo negozio, non quelli di altri negozi o concorrenti.",
            ("it", "forecast") => "Rispondo su ciò che è già successo: non faccio previsioni.",
            ("it", "unknown_metric") => "Non so calcolare questo numero. Conosco fatturato, ordini, scontrino medio, pezzi venduti, clienti (nuovi e di ritorno), rimborsi, cancellazioni, punti fedeltà, conversazioni e domande dei clienti, ma non costi, margini o profitti.",
            ("it", "not_a_question") => "Non sembra una domanda sui dati del tuo negozio.",
            ("it", "unknown_dimension") => $"Non posso suddividere i numeri per «{word}»: posso farlo per giorno, settimana, mese, trimestre, anno, prodotto, categoria, canale, paese o segmento di clienti.",
            ("it", "unknown_term") => $"Non so cosa significhi «{word}» in questa domanda e preferisco non tirare a indovinare. Metti i nomi di prodotti o categorie tra virgolette, per esempio categoria \"vini\".",
            ("it", _) => detail switch
            {
                "metrics" => "Posso rispondere su un numero alla volta: chiedi ogni metrica separatamente.",
                "dimensions" => "Posso suddividere un numero per una sola dimensione alla volta.",
                "periods" => "Posso confrontare al massimo due periodi.",
                "filters" => "Posso filtrare per un solo valore di ciascun tipo alla volta.",
                "top" => "Dimmi cosa mettere in classifica, per esempio i 5 prodotti con più fatturato.",
                "comparison" => "Questo numero non si può ancora confrontare tra periodi.",
                "metric_dimension" => "Questo numero non si può suddividere così: i punti fedeltà solo nel tempo (giorno, settimana, mese…), le conversazioni nel tempo o per canale, le domande dei clienti per niente.",
                "metric_filter" => "Questo numero non si può filtrare così: i punti fedeltà e le domande dei clienti non hanno filtri, le conversazioni solo per canale.",
                _ => "Non so ancora rispondere a questa combinazione.",
            },
            ("es", "unsafe") => "Solo puedo responder preguntas sobre las cifras de tu tienda: esta petición parece una instrucción o código, así que no la ejecuto.",
            ("es", "other_merchant") => "Solo veo los datos de tu tienda, no los de otras tiendas o competidores.",
            ("es", "forecast") => "Respondo sobre lo que ya ha pasado: no hago previsiones.",
            ("es", "unknown_metric") => "No sé calcular esa cifra. Conozco ingresos, pedidos, ticket medio, unidades vendidas, clientes (nuevos y recurrentes), reembolsos, cancelaciones, puntos de fidelidad, conversaciones y preguntas de los clientes, pero no costes, márgenes ni beneficios.",
            ("es", "not_a_question") => "No parece una pregunta sobre los datos de tu tienda.",
            ("es", "unknown_dimension") => $"No puedo desglosar las cifras por «{word}»: puedo hacerlo por día, semana, mes, trimestre, año, producto, categoría, canal, país o segmento de clientes.",
            ("es", "unknown_term") => $"No sé qué significa «{word}» en esta pregunta y prefiero no adivinar. Pon los nombres de productos o categorías entre comillas, por ejemplo categoría \"vinos\".",
            ("es", _) => detail switch
            {
                "metrics" => "Puedo responder sobre una cifra a la vez: pregunta por cada métrica por separado.",
                "dimensions" => "Puedo desglosar una cifra por una sola dimensión a la vez.",
                "periods" => "Puedo comparar como máximo dos periodos.",
                "filters" => "Puedo filtrar por un solo valor de cada tipo a la vez.",
                "top" => "Dime qué quieres clasificar, por ejemplo los 5 productos con más ingresos.",
                "comparison" => "Esta cifra todavía no se puede comparar entre periodos.",
                "metric_dimension" => "Esta cifra no se puede desglosar así: los puntos de fidelidad solo en el tiempo (día, semana, mes…), las conversaciones en el tiempo o por canal, las preguntas de los clientes de ninguna forma.",
                "metric_filter" => "Esta cifra no se puede filtrar así: los puntos de fidelidad y las preguntas de los clientes no tienen filtros, las conversaciones solo por canal.",
                _ => "Todavía no sé responder a esa combinación.",
            },
            (_, "unsafe") => "I can only answer questions about your shop's numbers, and this request looks like an instruction or code, so I won't run it.",
            (_, "other_merchant") => "I can only see your own shop's data, not other shops or competitors.",
            (_, "forecast") => "I answer with what has already happened; I don't make forecasts.",
            (_, "unknown_metric") => "I can't compute that number. I know revenue, orders, average order value, units sold, customers (new and returning), refunds, cancellations, loyalty points, conversations and shoppers' questions, but not costs, margins or profit.",
            (_, "not_a_question") => "That doesn't look like a question about your shop's data.",
            (_, "unknown_dimension") => $"I can't break numbers down by “{word}”: I can split them by day, week, month, quarter, year, product, category, channel, country or customer segment.",
            (_, "unknown_term") => $"I'm not sure what “{word}” means in this question, and I'd rather not guess. Put product or category names in quotes, e.g. category \"wine\".",
            _ => detail switch
            {
                "metrics" => "I can answer one number at a time: ask about each metric separately.",
                "dimensions" => "I can split a number by one dimension at a time.",
                "periods" => "I can compare at most two periods.",
                "filters" => "I can filter by one value of each kind at a time.",
                "top" => "Tell me what to rank, e.g. top 5 products by revenue.",
                "comparison" => "This number can't be compared across periods yet.",
                "metric_dimension" => "That number can't be split that way: loyalty points only over time (day, week, month…), conversations over time or by channel, shoppers' questions not at all.",
                "metric_filter" => "That number can't be filtered that way: loyalty points and shoppers' questions take no filters, conversations only a channel.",
                _ => "I can't answer that combination yet.",
            },
        };
    }
}
