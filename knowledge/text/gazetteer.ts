/**
 * Places customers name in delivery questions, with the region a shop's answers are written for:
 * "Italie", "the Netherlands" or "Portugal" are answered by "we deliver across Europe", "Lyon" by
 * the answer about France. Countries in French and English, the larger French cities, and a few
 * cities abroad.
 */
export type Region = 'france' | 'europe' | 'overseas' | 'world';

export interface PlaceDefinition {
  /** The place's country (a city names its own). */
  country: string;
  region: Region;
  /** Its names, in French and English; several words are matched in a row. */
  names: readonly string[];
  /** A name that is also an ordinary word ("Nice", "Tours", "China") counts only capitalised. */
  capitalised?: boolean;
}

/** The words a shop uses for each region, in French and English; a place reaches its region's answer through them. */
export const REGION_WORDS: Record<Region, readonly string[]> = {
  france: ['France', 'métropolitaine', 'métropole', 'mainland'],
  europe: ['Europe', 'européenne', 'européen', 'UE', 'European', 'EU'],
  overseas: ['outre-mer', 'DOM-TOM', 'DOM', 'overseas'],
  world: ['international', 'internationale', 'monde', 'étranger', 'worldwide', 'abroad'],
};

const country = (country: string, region: Region, ...names: string[]): PlaceDefinition => ({
  country,
  region,
  names: [country, ...names],
});

const COUNTRIES: PlaceDefinition[] = [
  country('France', 'france', 'Corse', 'Corsica'),
  country('Allemagne', 'europe', 'Germany'),
  country('Autriche', 'europe', 'Austria'),
  country('Belgique', 'europe', 'Belgium'),
  country('Bulgarie', 'europe', 'Bulgaria'),
  country('Chypre', 'europe', 'Cyprus'),
  country('Croatie', 'europe', 'Croatia'),
  country('Danemark', 'europe', 'Denmark'),
  country('Espagne', 'europe', 'Spain', 'Baléares', 'Canaries'),
  country('Estonie', 'europe', 'Estonia'),
  country('Finlande', 'europe', 'Finland'),
  country('Grèce', 'europe', 'Greece'),
  country('Hongrie', 'europe', 'Hungary'),
  country('Irlande', 'europe', 'Ireland'),
  country('Italie', 'europe', 'Italy', 'Sicile', 'Sicily', 'Sardaigne', 'Sardinia'),
  country('Lettonie', 'europe', 'Latvia'),
  country('Lituanie', 'europe', 'Lithuania'),
  country('Luxembourg', 'europe'),
  country('Malte', 'europe', 'Malta'),
  country('Pays-Bas', 'europe', 'Netherlands', 'Hollande', 'Holland'),
  country('Pologne', 'europe', 'Poland'),
  country('Portugal', 'europe'),
  country('Tchéquie', 'europe', 'République tchèque', 'Czech Republic', 'Czechia'),
  country('Roumanie', 'europe', 'Romania'),
  country('Slovaquie', 'europe', 'Slovakia'),
  country('Slovénie', 'europe', 'Slovenia'),
  country('Suède', 'europe', 'Sweden'),
  country('Suisse', 'europe', 'Switzerland'),
  country(
    'Royaume-Uni',
    'europe',
    'United Kingdom',
    'UK',
    'Grande-Bretagne',
    'Great Britain',
    'Britain',
    'Angleterre',
    'England',
    'Écosse',
    'Scotland',
    'Pays de Galles',
    'Wales',
    'Irlande du Nord',
    'Northern Ireland',
  ),
  country('Norvège', 'europe', 'Norway'),
  country('Islande', 'europe', 'Iceland'),
  country('Monaco', 'europe'),
  country('Andorre', 'europe', 'Andorra'),
  country('Liechtenstein', 'europe'),
  country('Serbie', 'europe', 'Serbia'),
  country('Albanie', 'europe', 'Albania'),
  country('Bosnie', 'europe', 'Bosnia'),
  country('Monténégro', 'europe', 'Montenegro'),
  country('Macédoine', 'europe', 'Macedonia'),
  country('Ukraine', 'europe'),
  country('Moldavie', 'europe', 'Moldova'),
  country('Guadeloupe', 'overseas'),
  country('Martinique', 'overseas'),
  country('Guyane', 'overseas', 'French Guiana'),
  country('La Réunion', 'overseas', 'Réunion', 'Reunion'),
  country('Mayotte', 'overseas'),
  country('Nouvelle-Calédonie', 'overseas', 'New Caledonia'),
  country('Polynésie', 'overseas', 'Polynesia', 'Tahiti'),
  country('États-Unis', 'world', 'USA', 'United States', 'Etats Unis', 'Amérique', 'America'),
  country('Canada', 'world', 'Québec', 'Quebec'),
  country('Mexique', 'world', 'Mexico'),
  country('Brésil', 'world', 'Brazil'),
  country('Argentine', 'world', 'Argentina'),
  country('Chili', 'world', 'Chile'),
  country('Japon', 'world', 'Japan'),
  country('Inde', 'world', 'India'),
  country('Australie', 'world', 'Australia'),
  country('Nouvelle-Zélande', 'world', 'New Zealand'),
  country('Maroc', 'world', 'Morocco'),
  country('Algérie', 'world', 'Algeria'),
  country('Tunisie', 'world', 'Tunisia'),
  country('Sénégal', 'world', 'Senegal'),
  country("Côte d'Ivoire", 'world', 'Ivory Coast'),
  country('Afrique du Sud', 'world', 'South Africa'),
  country('Russie', 'world', 'Russia'),
  country('Israël', 'world', 'Israel'),
  country('Liban', 'world', 'Lebanon'),
  country('Émirats arabes unis', 'world', 'Émirats', 'United Arab Emirates', 'UAE', 'Dubaï', 'Dubai'),
  country('Singapour', 'world', 'Singapore'),
  country('Corée du Sud', 'world', 'Corée', 'South Korea', 'Korea'),
  country('Égypte', 'world', 'Egypt'),
  { country: 'Chine', region: 'world', names: ['Chine', 'China'], capitalised: true },
  { country: 'Turquie', region: 'world', names: ['Turquie', 'Turkey'], capitalised: true },
];

/** French cities of some size, comma-separated; the ones that are also ordinary words count only capitalised. */
const FRENCH_CITIES =
  'Paris, Marseille, Lyon, Toulouse, Nantes, Montpellier, Strasbourg, Bordeaux, Lille, Rennes,' +
  'Reims, Toulon, Saint-Étienne, Le Havre, Grenoble, Dijon, Angers, Nîmes, Villeurbanne,' +
  'Clermont-Ferrand, Le Mans, Aix-en-Provence, Brest, Limoges, Amiens, Perpignan, Metz,' +
  'Besançon, Boulogne-Billancourt, Orléans, Rouen, Mulhouse, Caen, Argenteuil, Montreuil,' +
  'Saint-Denis, Roubaix, Tourcoing, Avignon, Nanterre, Poitiers, Versailles, Créteil,' +
  'Vitry-sur-Seine, Colombes, Asnières, Aubervilliers, Courbevoie, La Rochelle, Calais, Cannes,' +
  'Antibes, Ajaccio, Bastia, Biarritz, Bayonne, Lorient, Quimper, Vannes, Chambéry, Annecy,' +
  'Troyes, Colmar, Dunkerque, Béziers, Saint-Malo, Saint-Nazaire, Niort, Chartres, Cherbourg,' +
  'Laval, Arras, Bourges, Blois, Auxerre, Belfort, Montauban, Albi, Carcassonne, Narbonne,' +
  'Arles, Fréjus, Hyères, Évry, Cergy, Meaux, Melun, Beauvais, Compiègne, Lens, Douai,' +
  'Valenciennes, Cholet, Angoulême, Périgueux, Brive, Tarbes, Lourdes, Montélimar, Mâcon,' +
  'Roanne, Villeneuve-d’Ascq, Neuilly-sur-Seine, Issy-les-Moulineaux, Levallois-Perret,' +
  'Saint-Quentin';
const AMBIGUOUS_FRENCH_CITIES = 'Nice Tours Pau Orange Sens Agen Nancy Valence Vienne Vichy Sète';

const CITIES_ABROAD: [country: string, names: string][] = [
  ['Belgique', 'Bruxelles Brussels Anvers Antwerp Liège Gand Ghent Namur Charleroi Bruges'],
  ['Suisse', 'Genève Geneva Zurich Lausanne Bâle Basel Berne Bern Lugano Fribourg Neuchâtel'],
  ['Royaume-Uni', 'Londres London Manchester Edimbourg Edinburgh Glasgow Liverpool Birmingham'],
  ['Allemagne', 'Berlin Munich München Hambourg Hamburg Francfort Frankfurt Cologne Köln'],
  ['Espagne', 'Madrid Barcelone Barcelona Séville Seville Valencia Malaga Bilbao'],
  ['Italie', 'Rome Roma Milan Milano Naples Napoli Turin Torino Florence Firenze Venise Venice'],
  ['Portugal', 'Lisbonne Lisbon Lisboa Porto Faro'],
  ['Pays-Bas', 'Amsterdam Rotterdam La Haye The Hague Utrecht'],
  ['Luxembourg', 'Luxembourg-Ville'],
  ['Irlande', 'Dublin'],
  ['Autriche', 'Vienna Wien Salzbourg Salzburg'],
  ['Canada', 'Montréal Montreal Toronto Vancouver'],
  ['États-Unis', 'New York Los Angeles San Francisco Chicago Miami'],
];

/** Every place of the gazetteer. */
export const PLACES: readonly PlaceDefinition[] = [
  ...COUNTRIES,
  ...FRENCH_CITIES.split(/,\s*/).map((name) => ({
    country: 'France',
    region: 'france' as const,
    names: [name],
  })),
  ...AMBIGUOUS_FRENCH_CITIES.split(' ').map((name) => ({
    country: 'France',
    region: 'france' as const,
    names: [name],
    capitalised: true,
  })),
  ...CITIES_ABROAD.flatMap(([name, cities]) => {
    const region = COUNTRIES.find((c) => c.country === name)?.region ?? 'world';
    return splitCityNames(cities).map((city) => ({ country: name, region, names: [city] }));
  }),
];

/** "New York Los Angeles" is two cities: names of several words are kept together. */
function splitCityNames(list: string): string[] {
  const joined = ['New York', 'Los Angeles', 'San Francisco', 'La Haye', 'The Hague'];
  let rest = list;
  const names: string[] = [];
  for (const name of joined) {
    if (rest.includes(name)) {
      names.push(name);
      rest = rest.replace(name, ' ');
    }
  }
  return [...names, ...rest.split(/\s+/).filter(Boolean)];
}
