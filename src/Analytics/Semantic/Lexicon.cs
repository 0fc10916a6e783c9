namespace Agents.Analytics.Semantic;

/// <summary>
/// The words the semantic layer knows, in English, Italian and Spanish, lower case and without
/// accents (the tokenizer strips them; elisions such as dell'ordine become "dell ordine").
/// Built once; every lookup is a dictionary probe.
/// </summary>
internal static partial class Lexicon
{
    public static readonly PhraseTable Phrases = Build();

    private static PhraseTable Build()
    {
        var t = new PhraseTable();
        AddMetrics(t);
        AddDimensions(t);
        AddFilters(t);
        AddComparisons(t);
        AddRanks(t);
        AddFillers(t);
        AddRefusals(t);
        return t;
    }

    private static void Metric(PhraseTable t, string key, Strength strength, params string[] phrases) =>
        t.AddAll(new Item(ItemKind.Metric, key, strength), phrases);

    private static void AddMetrics(PhraseTable t)
    {
        Metric(t, "revenue", Strength.Strong, "revenue", "revenues", "turnover", "income", "takings", "gross sales", "gross revenue", "sales revenue", "sales volume",
            "fatturato", "fatturati", "incassi", "incasso", "incassato", "ricavi", "ricavo", "entrate", "giro d affari", "volume d affari", "volume di vendite",
            "ingresos", "ingreso", "facturacion", "facturado", "facturamos", "recaudacion", "recaudado", "volumen de ventas");

        // "Sales" is revenue, unless the question counts them ("how many sales" = orders).
        Metric(t, "sales", Strength.Strong, "sales", "sale", "vendite", "vendita", "ventas", "venta");

        Metric(t, "orders", Strength.Weak, "orders", "order", "purchases", "purchase", "ordini", "ordine", "acquisti", "acquisto",
            "pedidos", "pedido", "ordenes", "orden", "compras", "compra");

        Metric(t, "aov", Strength.Strong, "average order value", "average order values", "avg order value", "aov", "average order", "average basket",
            "average basket value", "average basket size", "average ticket", "average sale", "average sale value", "average spend per order", "average spend",
            "revenue per order", "value per order", "average value per order", "average order size", "average value of an order", "average value of orders",
            "scontrino medio", "valore medio dell ordine", "valore medio degli ordini", "valore medio ordine", "valore medio per ordine", "valore medio di un ordine",
            "ordine medio", "carrello medio", "spesa media", "spesa media per ordine", "ticket medio", "fatturato per ordine", "fatturato medio per ordine",
            "importo medio", "importo medio per ordine", "valore dell ordine medio", "valore medio dello scontrino",
            "ticket promedio", "valor medio del pedido", "valor medio de los pedidos", "valor medio por pedido", "valor promedio del pedido",
            "valor promedio por pedido", "valor promedio de los pedidos", "pedido medio", "pedido promedio", "importe medio", "importe medio por pedido",
            "gasto medio", "gasto medio por pedido", "cesta media", "carrito medio", "ingresos por pedido");

        Metric(t, "units", Strength.Strong, "units", "units sold", "pieces sold", "quantity sold", "pieces", "quantity",
            "number of items", "number of units", "pezzi", "pezzi venduti", "unita", "unita vendute", "quantita venduta", "quantita vendute", "quantita",
            "unidades", "unidades vendidas", "piezas vendidas", "piezas", "cantidad vendida");

        // "Which products sold best": the products are also what is ranked.
        t.AddAll(new Item(ItemKind.Metric, "units") { ImpliedDimension = "product" }, "items sold", "products sold", "articoli venduti", "prodotti venduti",
            "articulos vendidos", "productos vendidos");

        Metric(t, "customers", Strength.Weak, "customers", "customer", "clients", "client", "buyers", "buyer", "shoppers",
            "clienti", "cliente", "acquirenti", "acquirente", "clientes", "compradores", "comprador", "people", "persone", "personas");
        Metric(t, "customers", Strength.Strong, "active customers", "unique customers", "distinct customers", "paying customers",
            "clienti attivi", "clienti unici", "clienti paganti", "clientes activos", "clientes unicos", "clientes distintos");

        Metric(t, "new_customers", Strength.Strong, "new customers", "new customer", "new clients", "new buyers", "first time customers",
            "first time buyers", "nuovi clienti", "clienti nuovi", "nuovo cliente", "nuovi acquirenti", "nuovi compratori",
            "nuevos clientes", "clientes nuevos", "nuevos compradores", "cliente nuevo", "clientes por primera vez");

        Metric(t, "returning_customers", Strength.Strong, "returning customers", "repeat customers", "recurring customers", "returning clients",
            "repeat buyers", "existing customers", "clienti abituali", "clienti ricorrenti", "clienti di ritorno", "clienti che ritornano",
            "clienti che sono tornati", "clienti tornati", "clienti sono tornati a comprare", "clienti sono tornati", "clienti tornati a comprare", "clienti esistenti", "clienti che riacquistano", "clientes recurrentes",
            "clientes habituales", "clientes que repiten", "clientes que vuelven", "clientes que regresan", "clientes existentes");

        Metric(t, "refunds", Strength.Strong, "refunds", "refund", "refunded orders", "refunded order", "refunded",
            "rimborsi", "rimborso", "ordini rimborsati", "rimborsati", "rimborsato", "reembolsos", "reembolso", "pedidos reembolsados", "reembolsados", "reembolsado", "reembolsaron", "reembolso");

        Metric(t, "refunded_amount", Strength.Strong, "refunded amount", "amount refunded", "refund amount", "refunds amount", "total refunded",
            "value of refunds", "refund value", "money refunded", "importo rimborsato", "importo dei rimborsi", "valore dei rimborsi", "totale rimborsato",
            "somma rimborsata", "importe reembolsado", "monto reembolsado", "total reembolsado", "importe de los reembolsos", "valor de los reembolsos");

        Metric(t, "cancellations", Strength.Strong, "cancellations", "cancelations", "cancellation", "cancelled orders", "canceled orders", "cancelled", "canceled",
            "cancellazioni", "cancellazione", "annullamenti", "annullamento", "ordini annullati", "ordini cancellati", "annullati", "cancellati",
            "cancelaciones", "cancelacion", "anulaciones", "pedidos cancelados", "pedidos anulados", "cancelados", "anulados", "cancelaron", "cancelo", "anularon", "anulo");

        Metric(t, "points_issued", Strength.Strong, "points issued", "points earned", "points awarded", "points given", "loyalty points issued",
            "loyalty points earned", "loyalty points awarded", "loyalty points given out", "loyalty points have we given out", "points given out", "loyalty points we gave out", "issued points", "earned points", "punti emessi", "punti assegnati", "punti accumulati",
            "punti guadagnati", "punti fedelta emessi", "punti fedelta assegnati", "punti fedelta accumulati", "puntos emitidos", "puntos otorgados",
            "puntos acumulados", "puntos concedidos", "puntos ganados", "puntos de fidelidad emitidos", "puntos de fidelidad otorgados");

        Metric(t, "points_redeemed", Strength.Strong, "points redeemed", "points spent", "points used", "redeemed points", "loyalty points redeemed",
            "loyalty points spent", "punti riscattati", "punti utilizzati", "punti usati", "punti spesi", "punti fedelta riscattati", "punti fedelta utilizzati",
            "puntos canjeados", "puntos redimidos", "puntos usados", "puntos utilizados", "puntos gastados", "puntos de fidelidad canjeados");

        Metric(t, "conversations", Strength.Strong, "conversations", "conversation", "chats", "chat", "chat sessions",
            "conversazioni", "conversazione", "conversaciones", "conversacion", "charlas");

        Metric(t, "top_questions", Strength.Strong, "questions", "most asked questions", "most frequent questions", "most common questions",
            "frequent questions", "common questions", "frequently asked questions", "what customers ask", "what do customers ask", "what shoppers ask",
            "what do shoppers ask", "customer questions", "what are customers asking", "what customers are asking", "what are shoppers asking",
            "what are customers asking about", "cosa chiedono", "cosa ci chiedono", "cosa chiedono i clienti", "que preguntan", "que nos preguntan", "domande", "domande piu frequenti", "domande frequenti", "domande piu comuni", "domande piu poste",
            "domande piu fatte", "domande dei clienti", "cosa chiedono i clienti", "preguntas", "preguntas mas frecuentes", "preguntas frecuentes",
            "preguntas mas comunes", "preguntas mas hechas", "preguntas de los clientes", "que preguntan los clientes",
            "lo que mas nos preguntan", "lo que mas nos preguntan los clientes", "lo que mas nos preguntan los clientes en el chat",
            "cosa ci chiedono di piu i clienti in chat", "what do customers ask most in the chat", "que es lo que mas nos preguntan", "que es lo que mas preguntan");

        // Best-selling means units; "by revenue" still wins (Implicit is the weakest strength).
        var bestSelling = new Item(ItemKind.Metric, "units", Strength.Implicit) { Bottom = false };
        t.AddAll(bestSelling, "best selling", "top selling", "most sold", "sold the most", "sold most", "selling the most", "sell the most", "sells the most",
            "piu venduti", "piu venduto", "piu venduta", "piu vendute", "venduto di piu", "venduti di piu", "vendute di piu", "venduta di piu", "venduto piu",
            "venduti piu", "mas vendidos", "mas vendido", "mas vendida", "mas vendidas", "vendido mas", "vendidos mas", "que mas se venden", "que mas se vende",
            "mas se vende", "mas se venden", "mas venden", "se vendio mas", "se vendieron mas", "sold best", "sell best", "sells best", "selling best",
            "vendido mejor", "venduto meglio", "venduti meglio");
        t.AddAll(new Item(ItemKind.Metric, "orders", Strength.Implicit) { Bottom = false }, "busiest", "piu intenso", "piu intensa", "mas intenso", "mas intensa");
        t.AddAll(new Item(ItemKind.Metric, "orders", Strength.Implicit) { Bottom = true }, "quietest", "slowest", "piu tranquillo", "piu tranquilla",
            "mas tranquilo", "mas tranquila");
        t.AddAll(bestSelling with { ImpliedDimension = "product" }, "best sellers", "bestsellers", "bestseller", "best seller", "top sellers");
        t.AddAll(new Item(ItemKind.Metric, "units", Strength.Implicit) { Bottom = true }, "least sold", "worst selling", "sold the least", "sold least",
            "meno venduti", "meno venduto", "meno venduta", "meno vendute", "venduto di meno", "venduti di meno", "menos vendidos", "menos vendido",
            "menos vendida", "menos vendidas", "que menos se venden", "vendido menos");

        t.AddAll(new Item(ItemKind.Sell), "sold", "sell", "selling", "sells", "make", "made", "money", "venduto", "venduti", "venduta", "vendute", "vendere",
            "vendiamo", "soldi", "vendido", "vendidos", "vendida", "vendidas", "vender", "vendimos", "vendemos", "vende", "venden", "vendio", "vendieron", "dinero",
            "bought", "buy", "purchased", "comprato", "comprati", "acquistato", "acquistati", "compraron", "compro", "comprado", "comprados");
        t.AddAll(new Item(ItemKind.CountHint), "how many", "number of", "numero di", "numero de", "quanti", "quante", "cuantos", "cuantas", "count of",
            "cantidad de", "total number of");
        t.AddAll(new Item(ItemKind.AmountHint), "how much", "quanto", "quanta", "cuanto", "cuanta", "amount", "importo", "importe", "monto", "valore", "valor",
            "total value", "valore totale", "euro", "euros", "eur");
        t.AddAll(new Item(ItemKind.Which), "which", "what", "quale", "quali", "qual", "cual", "cuales", "que");
    }

    private static void Dimension(PhraseTable t, string key, string[] singular, string[] plural)
    {
        t.AddAll(new Item(ItemKind.Dimension, key), singular);
        t.AddAll(new Item(ItemKind.Dimension, key, Plural: true), plural);
    }

    private static void AddDimensions(PhraseTable t)
    {
        Dimension(t, "day", ["day", "date", "giorno", "giornata", "data", "dia", "fecha"], ["days", "dates", "giorni", "dias", "fechas"]);
        Dimension(t, "week", ["week", "settimana", "semana"], ["weeks", "settimane", "semanas"]);
        Dimension(t, "month", ["month", "mese", "mes"], ["months", "mesi", "meses"]);
        Dimension(t, "quarter", ["quarter", "trimestre"], ["quarters", "trimestri", "trimestres"]);
        Dimension(t, "year", ["year", "anno", "ano"], ["years", "anni", "anos"]);
        Dimension(t, "product", ["product", "item", "article", "sku", "prodotto", "articolo", "producto", "articulo"],
            ["products", "items", "articles", "skus", "prodotti", "articoli", "productos", "articulos"]);
        Dimension(t, "category", ["category", "product category", "categoria", "categoria di prodotto", "categoria de producto"],
            ["categories", "product categories", "categorie", "categorie di prodotti", "categorias", "categorias de productos"]);
        Dimension(t, "channel", ["channel", "sales channel", "canale", "canale di vendita", "canal", "canal de venta"],
            ["channels", "sales channels", "canali", "canali di vendita", "canales", "canales de venta"]);
        Dimension(t, "country", ["country", "nation", "market", "paese", "nazione", "pais", "nacion"],
            ["countries", "nations", "markets", "paesi", "nazioni", "paises", "naciones"]);
        Dimension(t, "segment", ["segment", "customer segment", "rfm segment", "segmento", "segmento di clienti", "segmento clienti", "segmento rfm",
            "segmento de clientes"], ["segments", "customer segments", "rfm segments", "segmenti", "segmenti di clienti", "segmenti clienti", "segmentos",
            "segmentos de clientes"]);

        // Adjectives and "each month" name a dimension outright.
        void Explicit(string key, params string[] phrases) => t.AddAll(new Item(ItemKind.Dimension, key, Strength.Explicit), phrases);
        Explicit("day", "daily", "giornaliero", "giornaliera", "giornalieri", "giornaliere", "quotidiano", "quotidiana", "quotidiani", "quotidiane",
            "diario", "diaria", "diarios", "diarias", "day by day", "giorno per giorno", "dia a dia", "dia por dia");
        Explicit("week", "weekly", "settimanale", "settimanali", "semanal", "semanales", "week by week", "settimana per settimana", "semana a semana");
        Explicit("month", "monthly", "mensile", "mensili", "mensual", "mensuales", "month by month", "mese per mese", "mes a mes", "mes por mes");
        Explicit("quarter", "quarterly", "trimestrale", "trimestrali", "trimestral", "trimestrales", "quarter by quarter", "trimestre per trimestre",
            "trimestre a trimestre");
        Explicit("year", "yearly", "annual", "annually", "annuale", "annuali", "annuo", "annua", "annui", "anual", "anuales", "year by year",
            "anno per anno", "ano a ano", "ano por ano");

        t.AddAll(new Item(ItemKind.DimensionMarker), "by", "per", "por", "broken down by", "break down by", "breakdown by", "split by", "grouped by",
            "for each", "for every", "each", "every", "in each", "suddiviso per", "suddivisi per", "suddivise per", "suddivisa per", "diviso per", "divisi per",
            "ripartito per", "ripartiti per", "raggruppato per", "raggruppati per", "per ogni", "per ciascun", "per ciascuna", "ogni", "ciascun", "ciascuna",
            "desglosado por", "desglosados por", "desglosadas por", "desglosada por", "dividido por", "divididos por", "agrupado por", "agrupados por",
            "por cada", "cada", "segun", "en cada");
        t.AddAll(new Item(ItemKind.DimensionMarker, TimeOnly: true), "al", "a");
    }

    private static void AddFilters(PhraseTable t)
    {
        void Channel(string value, params string[] phrases) => t.AddAll(new Item(ItemKind.Channel, value), phrases);
        Channel("whatsapp", "whatsapp", "whats app");
        Channel("web", "web", "website", "web site", "sito", "sito web", "sito internet", "sitio", "sitio web", "pagina web", "widget", "web widget", "online store");
        Channel("api", "api", "rest api");

        void Country(string code, params string[] phrases) => t.AddAll(new Item(ItemKind.Country, code), phrases);
        Country("IT", "italy", "italian", "italians", "italia", "italiano", "italiana", "italiani", "italiane", "italianos", "italianas");
        Country("ES", "spain", "spanish", "spagna", "spagnolo", "spagnola", "spagnoli", "spagnole", "espana", "espanol", "espanola", "espanoles", "espanolas");
        Country("GB", "united kingdom", "uk", "u k", "britain", "great britain", "england", "british", "regno unito", "gran bretagna", "inghilterra",
            "inglese", "inglesi", "britannico", "britannica", "britannici", "britanniche", "reino unido", "gran bretana", "inglaterra", "britanico",
            "britanica", "britanicos", "britanicas", "ingleses", "inglesa", "inglesas");
        Country("IE", "ireland", "irish", "irlanda", "irlandese", "irlandesi", "irlandes", "irlandeses", "irlandesa", "irlandesas");
        Country("CH", "switzerland", "swiss", "svizzera", "svizzero", "svizzeri", "svizzere", "suiza", "suizo", "suizos", "suizas");
        Country("FR", "france", "french", "francia", "francese", "francesi", "frances", "franceses", "francesa", "francesas");
        Country("DE", "germany", "german", "germans", "germania", "tedesco", "tedesca", "tedeschi", "tedesche", "alemania", "aleman", "alemanes", "alemana", "alemanas");
        Country("US", "united states", "usa", "u s a", "america", "american", "americans", "stati uniti", "americano", "americana", "americani", "americane",
            "estados unidos", "eeuu", "ee uu", "estadounidense", "estadounidenses", "americanos", "americanas", "statunitensi", "statunitense");
        Country("PT", "portugal", "portuguese", "portogallo", "portoghese", "portoghesi", "portugues", "portugueses");
        Country("AT", "austria", "austrian", "austriaco", "austriaci", "austriacos");
        Country("NL", "netherlands", "holland", "dutch", "paesi bassi", "olanda", "olandese", "olandesi", "paises bajos", "holanda", "holandes", "holandeses");
        Country("BE", "belgium", "belgian", "belgio", "belga", "belgi", "belgica", "belgas");
    }

    /// <summary>ISO codes are accepted when written in capitals ("IT", "US"): in lower case they are ordinary words.</summary>
    public static readonly Dictionary<string, string> CountryCodes = new(StringComparer.Ordinal)
    {
        ["it"] = "IT", ["es"] = "ES", ["gb"] = "GB", ["uk"] = "GB", ["ie"] = "IE", ["ch"] = "CH", ["fr"] = "FR", ["de"] = "DE", ["us"] = "US",
        ["pt"] = "PT", ["at"] = "AT", ["nl"] = "NL", ["be"] = "BE",
    };

    private static void AddComparisons(PhraseTable t)
    {
        t.AddAll(new Item(ItemKind.Comparison, "previous_period"), "previous period", "prior period", "preceding period", "the period before", "period before",
            "last period", "month over month", "month on month", "mom", "week over week", "week on week", "wow", "quarter over quarter", "quarter on quarter", "qoq",
            "periodo precedente", "periodo prima", "periodo scorso", "mese su mese", "settimana su settimana", "trimestre su trimestre",
            "periodo anterior", "periodo previo", "periodo pasado");
        t.AddAll(new Item(ItemKind.Comparison, "same_period_last_year"), "year over year", "yoy", "year on year", "same period last year",
            "same period of last year", "same period the previous year", "same period the year before", "same period of the previous year",
            "anno su anno", "su base annua", "stesso periodo dell anno scorso", "stesso periodo dell anno precedente", "stesso periodo anno scorso",
            "stesso periodo l anno scorso", "stesso periodo dello scorso anno", "interanual", "ano contra ano", "ano sobre ano", "mismo periodo del ano pasado",
            "mismo periodo del ano anterior", "mismo periodo el ano pasado", "mismo periodo de ano pasado");
        t.AddAll(new Item(ItemKind.CompareMarker), "vs", "versus", "compared to", "compared with", "compared", "compare", "comparing", "comparison", "against",
            "than", "relative to", "in comparison to", "in comparison with", "rispetto", "rispetto a", "rispetto al", "confronto", "a confronto", "confronta",
            "confrontato", "confrontati", "confrontare", "paragonato", "paragone", "contro", "frente", "frente a", "frente al", "comparado", "comparados",
            "comparar", "compara", "comparacion", "en comparacion con", "respecto", "respecto a", "respecto al", "con respecto a", "con respecto al", "contra",
            "en relacion con", "en relacion al");
    }

    private static void AddRanks(PhraseTable t)
    {
        // Strong words always rank ("top customers" without a dimension is refused); soft ones
        // ("most", "più", "más") are also comparatives and only rank when there is a dimension.
        t.AddAll(new Item(ItemKind.Rank, "strong") { Bottom = false }, "top", "best", "highest", "biggest", "largest", "greatest", "leading",
            "top performing", "best performing", "migliore", "migliori", "primi", "prime", "piu alto", "piu alti", "piu alta", "piu alte", "massimo",
            "principali", "mejor", "mejores", "primeros", "primeras", "mas alto", "mas altos", "mas alta", "mas altas", "principales", "maximo");
        t.AddAll(new Item(ItemKind.Rank, "soft") { Bottom = false }, "most", "the most", "piu", "di piu", "maggiore", "maggiori", "mas", "mayor", "mayores");
        t.AddAll(new Item(ItemKind.Rank, "strong") { Bottom = true }, "worst", "lowest", "smallest", "bottom", "worst performing", "peggiore", "peggiori",
            "piu basso", "piu bassi", "piu bassa", "piu basse", "minimo", "peor", "peores", "mas bajo", "mas bajos", "mas baja", "mas bajas");
        t.AddAll(new Item(ItemKind.Rank, "soft") { Bottom = true }, "least", "fewest", "meno", "di meno", "minore", "minori", "menos", "menor", "menores");
    }
}
