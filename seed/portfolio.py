"""Latin America and Caribbean portfolio of MIEUX+, from the programme's public documents (shared/seeds)."""

# Sources (shared/seeds): 000 current-phase Actions page; 001 LAC regional factsheet (c. 2019);
# 002 Latin America Action list (objective, summary, duration); 003 article on the July 2018
# Regional Knowledge Sharing Round-table in Mexico City; 004 Spanish leaflet (thematic areas).
# Whatever the documents do not say is invented and named in the entry's "invented" list
# ("*" there means the whole entry is invented).

INSTITUTIONS = [  # every institution referenced below, each once
    # --- partner administrations (beneficiaries and requesters) ---
    {"key": "pe-requester", "name": "Ministry of the Interior of Peru", "acronym": "MININTER", "country": "PE", "kind": "partner_administration"},
    {"key": "bo-requester", "name": "Ministry of Foreign Affairs of Bolivia – Directorate General for Consular Affairs", "acronym": "DGAC", "country": "BO", "kind": "partner_administration"},
    {"key": "ar-msa", "name": "Ministry of Security of Argentina", "acronym": "MSA", "country": "AR", "kind": "partner_administration"},
    {"key": "ar-mjdh", "name": "Ministry of Justice and Human Rights of Argentina", "acronym": "MJyDH", "country": "AR", "kind": "partner_administration"},
    {"key": "br-mj", "name": "Ministry of Justice of Brazil – National Justice Secretariat", "acronym": "NJS", "country": "BR", "kind": "partner_administration"},
    {"key": "br-dpu", "name": "Federal Public Defender's Office of Brazil", "acronym": "DPU", "country": "BR", "kind": "partner_administration"},
    {"key": "co-das", "name": "Administrative Department of Security of Colombia", "acronym": "DAS", "country": "CO", "kind": "partner_administration"},
    {"key": "co-medellin", "name": "Mayor's Office of Medellín", "acronym": None, "country": "CO", "kind": "partner_administration"},
    {"key": "cr-dgme", "name": "Directorate General of Migration and Immigration of Costa Rica", "acronym": "DGME", "country": "CR", "kind": "partner_administration"},
    {"key": "do-inm", "name": "National Institute for Migration of the Dominican Republic", "acronym": "INM RD", "country": "DO", "kind": "partner_administration"},
    {"key": "do-enm", "name": "National School of Migration of the Dominican Republic", "acronym": "ENM", "country": "DO", "kind": "partner_administration"},
    {"key": "mx-inm", "name": "National Institute of Migration of Mexico", "acronym": "INM", "country": "MX", "kind": "partner_administration"},
    {"key": "mx-comar", "name": "Mexican Commission for Refugee Assistance", "acronym": "COMAR", "country": "MX", "kind": "partner_administration"},
    {"key": "mx-segob", "name": "Ministry of the Interior of Mexico – Migration Policy Unit", "acronym": "SEGOB-UPM", "country": "MX", "kind": "partner_administration"},
    {"key": "pa-snm", "name": "National Migration Service of Panama", "acronym": "SNM", "country": "PA", "kind": "partner_administration"},
    {"key": "pa-onpar", "name": "National Office for Refugee Attention of Panama", "acronym": "ONPAR", "country": "PA", "kind": "partner_administration"},
    {"key": "py-dscpca", "name": "Ministry of Foreign Affairs of Paraguay – Directorate for Paraguayans Abroad", "acronym": "DSCPCA", "country": "PY", "kind": "partner_administration"},
    {"key": "py-mades", "name": "Ministry of Environment and Sustainable Development of Paraguay", "acronym": "MADES", "country": "PY", "kind": "partner_administration"},
    {"key": "sv-mre", "name": "Ministry of Foreign Affairs of El Salvador", "acronym": "MRREE", "country": "SV", "kind": "partner_administration"},
    {"key": "gt-igm", "name": "Guatemalan Migration Institute", "acronym": "IGM", "country": "GT", "kind": "partner_administration"},
    {"key": "hn-inm", "name": "National Migration Institute of Honduras", "acronym": "INM", "country": "HN", "kind": "partner_administration"},
    {"key": "bz-refugees", "name": "Refugees Department of Belize", "acronym": None, "country": "BZ", "kind": "partner_administration"},
    {"key": "ec-mremh", "name": "Ministry of Foreign Affairs and Human Mobility of Ecuador", "acronym": "MREMH", "country": "EC", "kind": "partner_administration"},
    # --- regional organisations (country = seat) ---
    {"key": "sica", "name": "General Secretariat of the Central American Integration System", "acronym": "SG-SICA", "country": "SV", "kind": "regional_organisation", "organisation": "SICA"},
    {"key": "parlasur", "name": "Parliament of MERCOSUR", "acronym": "PARLASUR", "country": "UY", "kind": "regional_organisation", "organisation": "MERCOSUR"},
    {"key": "iberred-prosecutors", "name": "Ibero-American Network of Public Prosecutors on Trafficking in Persons", "acronym": None, "country": "ES", "kind": "regional_organisation"},
    # --- Gran Chaco partners (academia, civil society) ---
    {"key": "ar-unne", "name": "National University of the Northeast", "acronym": "UNNE", "country": "AR", "kind": "academia"},
    {"key": "redes-chaco", "name": "Redes Chaco – network of Gran Chaco civil society organisations", "acronym": None, "country": "AR", "kind": "ngo"},
    # --- EU member-state administrations and other expert institutions ---
    {"key": "es-mir", "name": "Ministry of the Interior of Spain", "acronym": "MIR", "country": "ES", "kind": "ms_administration"},
    {"key": "es-maec", "name": "Ministry of Foreign Affairs, European Union and Cooperation of Spain", "acronym": "MAUC", "country": "ES", "kind": "ms_administration"},
    {"key": "es-mismi", "name": "Ministry of Inclusion, Social Security and Migration of Spain", "acronym": "MISSM", "country": "ES", "kind": "ms_administration"},
    {"key": "es-fge", "name": "Attorney General's Office of Spain", "acronym": "FGE", "country": "ES", "kind": "ms_administration"},
    {"key": "es-bcn", "name": "Barcelona City Council", "acronym": None, "country": "ES", "kind": "ms_administration"},
    {"key": "es-miteco", "name": "Ministry for the Ecological Transition and the Demographic Challenge of Spain", "acronym": "MITECO", "country": "ES", "kind": "ms_administration"},
    {"key": "es-comillas", "name": "Comillas Pontifical University – University Institute for Migration Studies", "acronym": "IUEM", "country": "ES", "kind": "academia"},
    {"key": "pt-sef", "name": "Immigration and Borders Service of Portugal", "acronym": "SEF", "country": "PT", "kind": "ms_administration"},
    {"key": "pt-pgr", "name": "Prosecutor General's Office of Portugal", "acronym": "PGR", "country": "PT", "kind": "ms_administration"},
    {"key": "at-bmi", "name": "Federal Ministry of the Interior of Austria", "acronym": "BMI", "country": "AT", "kind": "ms_administration"},
    {"key": "nl-ind", "name": "Immigration and Naturalisation Service of the Netherlands", "acronym": "IND", "country": "NL", "kind": "ms_administration"},
    {"key": "nl-mfa", "name": "Ministry of Foreign Affairs of the Netherlands", "acronym": "BZ", "country": "NL", "kind": "ms_administration"},
    {"key": "be-guardianship", "name": "Federal Public Service Justice of Belgium – Guardianship Service", "acronym": None, "country": "BE", "kind": "ms_administration"},
    {"key": "se-ngo", "name": "Rädda Barnen (Save the Children Sweden)", "acronym": None, "country": "SE", "kind": "ngo"},
    {"key": "de-bamf", "name": "Federal Office for Migration and Refugees of Germany", "acronym": "BAMF", "country": "DE", "kind": "ms_administration"},
    {"key": "it-mi", "name": "Ministry of the Interior of Italy", "acronym": None, "country": "IT", "kind": "ms_administration"},
    {"key": "it-inmp", "name": "National Institute for Health, Migration and Poverty of Italy", "acronym": "INMP", "country": "IT", "kind": "ms_administration"},
    {"key": "gr-mma", "name": "Ministry of Migration and Asylum of Greece", "acronym": None, "country": "GR", "kind": "ms_administration"},
    {"key": "ie-dfa", "name": "Department of Foreign Affairs of Ireland", "acronym": "DFA", "country": "IE", "kind": "ms_administration"},
    {"key": "euaa", "name": "European Union Agency for Asylum", "acronym": "EUAA", "country": "MT", "kind": "international_organisation"},
]
# kind: partner_administration | ms_administration | regional_organisation | academia | ngo | international_organisation

ACTIONS = [
    # ------------------------------------------------------------------ Argentina/Brazil (002)
    {
        "name": "Argentina/Brazil", "country": "AR", "regional": False,
        "beneficiaries": ["ar-msa", "br-mj"],
        "title": "Development of a Regional Integrated Information System on Trafficking in Human Beings (THB)",
        "theme": "irregular_migration_thb", "subtopics": ["thb", "data_management"],
        "objective": "The aim of this action was to support the efforts of the Ministry of Security of Argentina (MSA) and Ministry of Justice of Brazil (NJS) to actively cooperate, exchange information and improve their capacities to fight human trafficking.",
        "summary": "This technical assistance supported the building of an information exchange mechanism between the two countries in the area of human trafficking, and provided a transfer of knowledge, practices and experience from EU MS administrations on given aspects. The first assessment mission to Argentina took place in June 2012 to evaluate the THB criminal data collection in Argentina with the MSA. The second assessment mission, this time to Brazil, took place in October 2012 and assessed the gaps and needs of the NJS.  Experts from the Portuguese and Spanish national administrations were deployed for this action.",
        "start": "2011-11-01", "end": "2014-03-31", "status": "closed", "assessment_waiver": None,
        "expert_institutions": ["pt-sef", "es-mir"],
        "activities": [
            {"kind": "assessment_mission", "title": "Assessment mission on THB criminal data collection in Argentina",
             "city": "Buenos Aires", "country": "AR", "remote": False, "start": "2012-06-11", "end": "2012-06-15",
             "languages": ["es"], "status": "reported", "participants": {"female": 9, "male": 7},
             "report": "Reviewed THB criminal data collection with the MSA and mapped the sources feeding a future bilateral exchange.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "es", "count": 1},
                       {"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "city", "participants", "report"]},
            {"kind": "assessment_mission", "title": "Assessment mission on the gaps and needs of the National Justice Secretariat",
             "city": "Brasília", "country": "BR", "remote": False, "start": "2012-10-15", "end": "2012-10-19",
             "languages": ["pt", "es"], "status": "reported", "participants": {"female": 8, "male": 6},
             "report": "Assessed the NJS's THB data flows and its needs for exchanging information with Argentina.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "pt", "count": 1}],
             "invented": ["start", "end", "city", "participants", "report"]},
        ],
        "deliverables": [
        ],
        "final_report": {"results": "Gaps in THB data collection were assessed in both countries and a common basis for a bilateral information exchange mechanism was agreed.",
                         "officials_trained_female": 20, "officials_trained_male": 16, "institutions_reached": 9,
                         "lessons_learned": "Bilateral data exchange needs a legal basis agreed early; the two assessment missions should have been closer in time.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned", "results"]},
        "invented": ["country", "subtopics"],
    },
    # ------------------------------------------------------------------ Bolivia (002)
    {
        "name": "Bolivia", "country": "BO", "regional": False,
        "beneficiaries": ["bo-requester"],
        "title": "Capacity Building of Consular Staff",
        "theme": "horizontal", "subtopics": ["consular_affairs", "capacity_development"],
        "objective": "MIEUX provided capacity building for Bolivian consular staff with the assistance of experts from the Spanish national administration.",
        "summary": "The first assessment mission to La Paz took place in July 2010 with the aim to review and map the gaps and needs of the Directorate General for Consular Affairs. The manual 'EU Migration and Asylum Matters for Consular Use' was developed to be used as basis for the delivery of the series of training sessions taking place at different Bolivian consular posts. The first training for consular staff took place in La Paz in November 2010. Following the completion of the first phase of activities, this action was formally closed.",
        "start": "2010-05-01", "end": "2010-12-31", "status": "closed", "assessment_waiver": None,
        "expert_institutions": ["es-maec", "es-mir"],
        "activities": [
            {"kind": "assessment_mission", "title": "Assessment mission to the Directorate General for Consular Affairs",
             "city": "La Paz", "country": "BO", "remote": False, "start": "2010-07-12", "end": "2010-07-16",
             "languages": ["es"], "status": "reported", "participants": {"female": 7, "male": 5},
             "report": "Reviewed and mapped the gaps and needs of the Directorate General for Consular Affairs.",
             "slots": [{"role": "lead_expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "training", "title": "Training for consular staff on EU migration and asylum matters",
             "city": "La Paz", "country": "BO", "remote": False, "start": "2010-11-15", "end": "2010-11-19",
             "languages": ["es"], "status": "reported", "participants": {"female": 14, "male": 11},
             "report": "First training for consular staff, delivered on the basis of the manual 'EU Migration and Asylum Matters for Consular Use'.",
             "slots": [{"role": "trainer", "theme": "horizontal", "language": "es", "count": 2}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [
            {"kind": "manual", "title": "EU Migration and Asylum Matters for Consular Use", "language": "es",
             "date": "2010-10-29", "invented": ["date"]},
        ],
        "final_report": {"results": "Consular needs were mapped, the manual 'EU Migration and Asylum Matters for Consular Use' was produced and a first training was delivered in La Paz.",
                         "officials_trained_female": 14, "officials_trained_male": 11, "institutions_reached": 3,
                         "lessons_learned": "A manual written first gives later trainings at consular posts a common basis.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["start", "end", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Colombia (002)
    {
        "name": "Colombia", "country": "CO", "regional": False,
        "beneficiaries": ["co-das"],
        "title": "Document Security and Trafficking in Human Beings",
        "theme": "irregular_migration_thb", "subtopics": ["document_security", "som", "border_management", "thb"],
        "objective": "The MIEUX technical assistance action in Colombia aimed at strengthening the capacities of the national authorities to manage the fight against irregular migration and document fraud. To this end, the action contributed to provide the national security forces with capable trained resource persons in the areas of Document Security and Trafficking in Human Beings (THB) and Smuggling of Migrants (SoM).",
        "summary": "In October 2010 a five-day working group session took place, with the aim of assessing the state of play of national migration management practices, with a particular focus on the fight against irregular migration. Over 30 officials were brought together to discuss regional cooperation, trafficking and smuggling issues, border control and document security matters, as well as modern migration management systems and practices based on the EU experience. Final conclusions of this session identifying main gaps and needs, as well as priority courses of action, in each of the thematic areas were presented. In February 2011, two training of trainers’ courses on document security and trafficking in human beings/smuggling of migrants were delivered. Two training manuals were elaborated and handed over to the beneficiary authorities, including the relevant training academy. (“Investigation of Trafficking in Human Beings and Smuggling of Migrants” and “Examination and Analysis of Identity and Travel Documents”). The MIEUX Colombia action concluded with a study visit to Madrid for key Colombian officials in late June 2011, which familiarised with EU and Spanish migration management practices, particularly in the field of border management.",
        "start": "2010-10-01", "end": "2011-07-31", "status": "closed",
        "assessment_waiver": "Started with a five-day working group session (October 2010) that assessed the state of play and the gaps and needs, in place of an assessment mission.",
        "expert_institutions": ["es-mir"],
        "activities": [
            {"kind": "working_group_session", "title": "Working group session on national migration management and irregular migration",
             "city": "Bogotá", "country": "CO", "remote": False, "start": "2010-10-18", "end": "2010-10-22",
             "languages": ["es"], "status": "reported", "participants": {"female": 11, "male": 22},
             "report": "Over 30 officials discussed regional cooperation, THB and SoM, border control and document security; final conclusions set gaps, needs and priority courses of action.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "es", "count": 1},
                       {"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 1}],
             "invented": ["start", "end", "city", "participants"]},
            {"kind": "training_of_trainers", "title": "Training of trainers on document security",
             "city": "Bogotá", "country": "CO", "remote": False, "start": "2011-02-07", "end": "2011-02-11",
             "languages": ["es"], "status": "reported", "participants": {"female": 6, "male": 14},
             "report": "Trained future trainers on the examination and analysis of identity and travel documents.",
             "slots": [{"role": "trainer", "theme": "irregular_migration_thb", "language": "es", "count": 2}],
             "invented": ["start", "end", "city", "participants"]},
            {"kind": "training_of_trainers", "title": "Training of trainers on THB and smuggling of migrants",
             "city": "Bogotá", "country": "CO", "remote": False, "start": "2011-02-14", "end": "2011-02-18",
             "languages": ["es"], "status": "reported", "participants": {"female": 9, "male": 12},
             "report": "Trained future trainers on investigating THB and smuggling of migrants.",
             "slots": [{"role": "trainer", "theme": "irregular_migration_thb", "language": "es", "count": 2}],
             "invented": ["start", "end", "city", "participants"]},
            {"kind": "study_visit", "title": "Study visit on EU and Spanish border management practices",
             "city": "Madrid", "country": "ES", "remote": False, "start": "2011-06-27", "end": "2011-07-01",
             "languages": ["es"], "status": "reported", "participants": {"female": 3, "male": 5},
             "report": "Key Colombian officials became familiar with EU and Spanish migration management, particularly border management.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [
            {"kind": "manual", "title": "Investigation of Trafficking in Human Beings and Smuggling of Migrants", "language": "es",
             "date": "2011-02-18", "invented": ["date"]},
            {"kind": "manual", "title": "Examination and Analysis of Identity and Travel Documents", "language": "es",
             "date": "2011-02-11", "invented": ["date"]},
        ],
        "final_report": {"results": "Two training of trainers' courses delivered and two training manuals handed over to the beneficiary authorities and the training academy; study visit to Madrid.",
                         "officials_trained_female": 15, "officials_trained_male": 26, "institutions_reached": 6,
                         "lessons_learned": "Handing manuals to the training academy lets trained trainers replicate the courses nationally.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["beneficiaries", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Colombia II (000, ongoing)
    {
        "name": "Colombia II", "country": "CO", "regional": False,
        "beneficiaries": ["co-medellin"],
        "title": "Mainstreaming Interculturality in Medellín's Migration Management Policy",
        "theme": "legal_migration_mobility", "subtopics": ["integration", "policy_strategy"],
        "objective": "MIEUX+ is drafting recommendations on mainstreaming the interculturality in the Strategic Plan of the Migration Management Policy in partnership with Medellin's Mayor Office, for the Colombia II Action.",
        "summary": "",
        "start": "2025-06-01", "end": "2027-06-30", "status": "implementation", "assessment_waiver": None,
        "expert_institutions": ["es-bcn", "es-mismi"],
        "activities": [
            {"kind": "assessment_mission", "title": "Assessment mission with Medellín's Mayor Office",
             "city": "Medellín", "country": "CO", "remote": False, "start": "2025-09-15", "end": "2025-09-19",
             "languages": ["es"], "status": "reported", "participants": {"female": 16, "male": 9},
             "report": "Reviewed the Strategic Plan of the Migration Management Policy with city departments and agreed the scope of the recommendations.",
             "slots": [{"role": "lead_expert", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "workshop", "title": "Workshop on intercultural approaches in local migration policy",
             "city": "Medellín", "country": "CO", "remote": False, "start": "2026-02-23", "end": "2026-02-25",
             "languages": ["es"], "status": "reported", "participants": {"female": 21, "male": 12},
             "report": "City officials and civil society discussed European intercultural city practices and priority sectors for the plan.",
             "slots": [{"role": "expert", "theme": "legal_migration_mobility", "language": "es", "count": 2}],
             "invented": ["*"]},
            {"kind": "working_group_session", "title": "Working group on the draft interculturality recommendations",
             "city": "Medellín", "country": "CO", "remote": False, "start": "2026-09-08", "end": "2026-09-10",
             "languages": ["es"], "status": "reported", "participants": {"female": 14, "male": 8},
             "report": "The working group reviewed the first draft of the recommendations, sector by sector.",
             "slots": [{"role": "lead_expert", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "long_distance_assistance", "title": "Remote finalisation of the recommendations",
             "city": None, "country": None, "remote": True, "start": "2027-01-11", "end": "2027-03-31",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "expert", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "workshop", "title": "Validation workshop of the recommendations",
             "city": "Medellín", "country": "CO", "remote": False, "start": "2027-04-19", "end": "2027-04-20",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "lead_expert", "theme": "legal_migration_mobility", "language": "es", "count": 1},
                       {"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["*"]},
        ],
        "deliverables": [],
        "final_report": None,
        "invented": ["title", "start", "end", "expert_institutions", "theme", "subtopics"],
    },
    # ------------------------------------------------------------------ Costa Rica (002, 001, 003)
    {
        "name": "Costa Rica", "country": "CR", "regional": False,
        "beneficiaries": ["cr-dgme"],
        "title": "Integration issues, Irregular Migration and Trafficking in Human Beings (THB)",
        "theme": "legal_migration_mobility", "subtopics": ["integration", "thb", "som"],
        "objective": "MIEUX assisted the Costa Rican General Directorate of Migration (GDM) in strengthening its capacities to manage migration flows, with a view to curbing irregular migration and maximising migration benefits.",
        "summary": "MIEUX supported the relevant migration authorities with capable, trained human resources by reinforcing the development of training material on THB and smuggling of migrants for the nationwide basic training of migration officers. In addition, MIEUX supported the development of the National Integration Plan of Costa Rica. An assessment mission took place in mid-February 2012, which provided the foundation for the course on integration policy and defined the modalities of support for the development of the National Integration Plan. In June 2012, training modules on THB and the smuggling of migrants were developed and a training of trainers course was delivered. MIEUX experts successfully finalised the National Integration Plan, which was published in March 2013. Experts from the Spanish national administration were deployed for this action.",
        "start": "2011-10-01", "end": "2013-03-31", "status": "closed", "assessment_waiver": None,
        "expert_institutions": ["es-mismi", "es-mir"],
        "activities": [
            {"kind": "assessment_mission", "title": "Assessment mission on integration policy and the National Integration Plan",
             "city": "San José", "country": "CR", "remote": False, "start": "2012-02-13", "end": "2012-02-17",
             "languages": ["es"], "status": "reported", "participants": {"female": 13, "male": 8},
             "report": "Laid the foundation for the course on integration policy and defined the modalities of support for the National Integration Plan.",
             "slots": [{"role": "lead_expert", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "training_of_trainers", "title": "Training of trainers on THB and smuggling of migrants",
             "city": "San José", "country": "CR", "remote": False, "start": "2012-06-18", "end": "2012-06-22",
             "languages": ["es"], "status": "reported", "participants": {"female": 10, "male": 12},
             "report": "Training modules on THB and smuggling of migrants for the basic training of migration officers were finalised and a training of trainers course delivered.",
             "slots": [{"role": "trainer", "theme": "irregular_migration_thb", "language": "es", "count": 2}],
             "invented": ["start", "end", "participants"]},
            {"kind": "training", "title": "Course on integration policy",
             "city": "San José", "country": "CR", "remote": False, "start": "2012-09-24", "end": "2012-09-27",
             "languages": ["es"], "status": "reported", "participants": {"female": 17, "male": 9},
             "report": "Officials from DGME and partner institutions were trained on integration policy design ahead of drafting the Plan.",
             "slots": [{"role": "trainer", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants", "report"]},
        ],
        "deliverables": [
            {"kind": "national_plan", "title": "National Integration Plan of Costa Rica 2013-2017", "language": "es",
             "date": "2013-03-01", "invented": []},
            {"kind": "training_curriculum", "title": "Training modules on THB and smuggling of migrants for the basic training of migration officers",
             "language": "es", "date": "2012-06-22", "invented": ["date"]},
        ],
        "final_report": {"results": "National Integration Plan of Costa Rica 2013-2017 finalised and published in March 2013; THB and smuggling modules integrated in the nationwide basic training of migration officers.",
                         "officials_trained_female": 27, "officials_trained_male": 21, "institutions_reached": 11,
                         "lessons_learned": "Integration came to be understood as a shared responsibility of migrants and institutions; sharing the whole drafting journey with the partner built ownership.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached"]},
        "invented": [],
    },
    # ------------------------------------------------------------------ Costa Rica II (001, 003)
    {
        "name": "Costa Rica II", "country": "CR", "regional": False,
        "beneficiaries": ["cr-dgme"],
        "title": "Second National Integration Plan and Smuggling of Migrants",
        "theme": "legal_migration_mobility", "subtopics": ["integration", "som"],
        "objective": "Support policy development in the area of integration and strengthen capacities tot fight against smuggling of migrants",
        "summary": "In Costa Rica, MIEUX supported the formulation of the first and second National Integration Plans (2013-2017 and 2018 – 2022 respectively). MIEUX’s key input was to organise inter-institutional working groups on topics crucial for integration (xenophobia, education, labour market, health and vulnerable migrants) and “share the journey” through the successive stages of adoption and implementation by different institutions and government bodies. The Plan 2018 - 2022 has spawned several initiatives such as the “Aquí todos somos migrantes” communication campaign to highlight diversity in Costa Rica.",
        "start": "2017-01-16", "end": "2017-12-15", "status": "closed",
        "assessment_waiver": "Continuation of the Costa Rica Action: needs were taken from the review of the first National Integration Plan, so no new assessment mission was held.",
        "expert_institutions": ["es-mismi", "es-mir"],
        "activities": [
            {"kind": "working_group_session", "title": "Inter-institutional working groups on xenophobia, education and labour market",
             "city": "San José", "country": "CR", "remote": False, "start": "2017-03-27", "end": "2017-03-31",
             "languages": ["es"], "status": "reported", "participants": {"female": 24, "male": 15},
             "report": "Working groups set integration objectives on xenophobia, education and labour market insertion.",
             "slots": [{"role": "lead_expert", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "working_group_session", "title": "Inter-institutional working groups on health and vulnerable migrants",
             "city": "San José", "country": "CR", "remote": False, "start": "2017-06-05", "end": "2017-06-08",
             "languages": ["es"], "status": "reported", "participants": {"female": 19, "male": 11},
             "report": "Working groups set integration objectives on health and on vulnerable migrants.",
             "slots": [{"role": "expert", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [
            {"kind": "national_plan", "title": "National Integration Plan of Costa Rica 2018-2022", "language": "es",
             "date": "2017-12-01", "invented": ["date"]},
        ],
        "final_report": {"results": "Second National Integration Plan of Costa Rica (2018-2022) formulated through inter-institutional working groups; officers trained on countering smuggling of migrants.",
                         "officials_trained_female": 8, "officials_trained_male": 17, "institutions_reached": 14,
                         "lessons_learned": "Thematic inter-institutional working groups were the key input; they keep the Plan alive through adoption and implementation.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached"]},
        "invented": ["title", "start", "end", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Costa Rica IV (000, ongoing)
    {
        "name": "Costa Rica IV", "country": "CR", "regional": False,
        "beneficiaries": ["cr-dgme"],
        "title": "Protocol for Assisting Migrants in Mixed Flows in Emergencies",
        "theme": "international_protection_asylum", "subtopics": ["forced_displacement", "human_rights"],
        "objective": "As part of the Action Costa Rica IV, MIEUX+ is working alongside the Directorate General of Migration and Immigration to craft a protocol for aiding and safeguarding migrants in mixed migratory flows during emergencies or crisis situations.",
        "summary": "",
        "start": "2026-06-01", "end": "2027-10-31", "status": "implementation", "assessment_waiver": "Under way according to the programme's overview of its ongoing Actions; the demo does not record its assessment.",
        "expert_institutions": ["es-mir", "it-mi"],
        "activities": [
            {"kind": "long_distance_assistance", "title": "Desk review of existing emergency and contingency protocols",
             "city": None, "country": None, "remote": True, "start": "2026-09-01", "end": "2026-10-16",
             "languages": ["es"], "status": "reported", "participants": {"female": 3, "male": 3},
             "report": "Experts reviewed DGME's contingency plans and the protocols used during past mass arrivals.",
             "slots": [{"role": "expert", "theme": "international_protection_asylum", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "assessment_mission", "title": "Assessment mission on assistance to migrants in mixed flows",
             "city": "San José", "country": "CR", "remote": False, "start": "2027-01-25", "end": "2027-01-29",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "lead_expert", "theme": "international_protection_asylum", "language": "es", "count": 1},
                       {"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "workshop", "title": "Workshop on emergency reception at the southern border",
             "city": "Paso Canoas", "country": "CR", "remote": False, "start": "2027-05-10", "end": "2027-05-12",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "expert", "theme": "international_protection_asylum", "language": "es", "count": 2}],
             "invented": ["*"]},
        ],
        "deliverables": [],
        "final_report": None,
        "invented": ["title", "start", "end", "expert_institutions", "assessment_waiver"],
    },
    # ------------------------------------------------------------------ Costa Rica V (000)
    {
        "name": "Costa Rica V", "country": "CR", "regional": False,
        "beneficiaries": ["cr-dgme"],
        "title": "National Integration Plan 2023-2027",
        "theme": "legal_migration_mobility", "subtopics": ["integration", "policy_strategy"],
        "objective": "In the framework of the Action Costa Rica V, MIEUX+ renewed its collaboration with the Directorate General of Migration and Immigration to assist in developing the National Integration Plan for the years 2023-2027.",
        "summary": "",
        "start": "2022-02-01", "end": "2023-06-30", "status": "closed", "assessment_waiver": "Completed; the programme's documents do not record an assessment mission for this Action.",
        "expert_institutions": ["es-mismi"],
        "activities": [
        ],
        "deliverables": [
            {"kind": "national_plan", "title": "National Integration Plan of Costa Rica 2023-2027", "language": "es",
             "date": "2023-05-15", "invented": ["date"]},
        ],
        "final_report": {"results": "National Integration Plan of Costa Rica 2023-2027 drafted and validated with institutions and civil society.",
                         "officials_trained_female": 26, "officials_trained_male": 14, "institutions_reached": 17,
                         "lessons_learned": "A third cycle with the same partner went faster: the working group method was already owned by DGME.",
                         "invented": ["*"]},
        "invented": ["title", "start", "end", "expert_institutions", "assessment_waiver"],
    },
    # ------------------------------------------------------------------ Dominican Republic II (002, 003)
    {
        "name": "Dominican Republic II", "country": "DO", "regional": False,
        "beneficiaries": ["do-inm", "do-enm"],
        "title": "Border Management",
        "theme": "irregular_migration_thb", "subtopics": ["border_management", "capacity_development", "public_communication"],
        "objective": "The overall objective of this MIEUX Action is to enhance the training and self-learning capacities of the Dominican Republic’s main migration authorities.",
        "summary": "MIEUX is assisting the National Institute for Migration in developing a comprehensive and innovative training programme for the National School of Migration. A fact-finding mission is scheduled for March 2016, including a visit to the Las Américas International Airport, the port of Santo Domingo, the office of the Directorate General for Migration in Barahona and the Jimaní border post, as well as bilateral meetings with the main national stakeholders involved in border management. The last day of this mission will be used to analyse the training needs and plan the upcoming activities. Experts from the Mexican and Spanish national administrations and a Spanish academic are being deployed for this Action. In the Dominican Republic, MIEUX supported the National Migration School under the National Institute of Migration to develop its curriculum and the drafting of a manual to train journalists on the subject of migration in 2017.",
        "start": "2015-12-01", "end": "2018-03-31", "status": "closed", "assessment_waiver": None,
        "expert_institutions": ["mx-inm", "es-mir", "es-comillas"],
        "activities": [
            {"kind": "fact_finding_mission", "title": "Fact-finding mission on border management training needs",
             "city": "Santo Domingo", "country": "DO", "remote": False, "start": "2016-03-07", "end": "2016-03-11",
             "languages": ["es"], "status": "reported", "participants": {"female": 10, "male": 15},
             "report": "Visited Las Américas airport, the port of Santo Domingo, the DGM office in Barahona and the Jimaní border post; the last day analysed training needs and planned the next activities.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "es", "count": 1},
                       {"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "training", "title": "Training for journalists on reporting on migration",
             "city": "Santo Domingo", "country": "DO", "remote": False, "start": "2017-05-22", "end": "2017-05-24",
             "languages": ["es"], "status": "reported", "participants": {"female": 14, "male": 11},
             "report": "Journalists and communication officers piloted the draft manual on migration reporting.",
             "slots": [{"role": "trainer", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants", "city"]},
        ],
        "deliverables": [
            {"kind": "training_curriculum", "title": "Training programme of the National School of Migration", "language": "es",
             "date": "2016-12-15", "invented": ["date"]},
            {"kind": "manual", "title": "Manual for training journalists on migration", "language": "es",
             "date": "2017-11-30", "invented": ["date", "title"]},
        ],
        "final_report": {"results": "Curriculum of the National School of Migration developed and a manual to train journalists on migration drafted (2017).",
                         "officials_trained_female": 35, "officials_trained_male": 28, "institutions_reached": 7,
                         "lessons_learned": "MIEUX's flexibility and its ability to adapt the content to local context and needs were cited by the partner as the good practice.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached"]},
        "invented": ["end"],
    },
    # ------------------------------------------------------------------ Dominican Republic III (000)
    {
        "name": "Dominican Republic III", "country": "DO", "regional": False,
        "beneficiaries": ["do-enm"],
        "title": "Migration and Mental Health",
        "theme": "horizontal", "subtopics": ["migration_health", "capacity_development"],
        "objective": "MIEUX+ partnered with the National School for Migration of the Dominican Republic to enhance their public officials' understanding of migration and its intersection with mental health.",
        "summary": "",
        "start": "2021-09-01", "end": "2022-12-16", "status": "closed", "assessment_waiver": "Completed; the programme's documents do not record an assessment mission for this Action.",
        "expert_institutions": ["it-inmp", "es-mismi"],
        "activities": [
        ],
        "deliverables": [
        ],
        "final_report": {"results": "The National School of Migration has a course on migration and mental health and trainers to deliver it.",
                         "officials_trained_female": 27, "officials_trained_male": 14, "institutions_reached": 6,
                         "lessons_learned": "Pairing a health institute with a migration administration brought both clinical and operational views.",
                         "invented": ["*"]},
        "invented": ["title", "start", "end", "expert_institutions", "assessment_waiver"],
    },
    # ------------------------------------------------------------------ Mexico (002, 001, 003)
    {
        "name": "Mexico", "country": "MX", "regional": False,
        "beneficiaries": ["mx-inm"],
        "title": "Unaccompanied minors",
        "theme": "horizontal", "subtopics": ["unaccompanied_minors", "human_rights"],
        "objective": "The overall objective of this MIEUX Action is to enhance capacities of the Mexican migration authorities and their partners to better manage migration.",
        "summary": "This Action will strengthen the Mexican efforts on identification, monitoring and adequate protection of migrating foreign unaccompanied minors by knowledge transfer of EU best practices on assistance and protection of unaccompanied minor migrants. An information session on European child protection policies, and two seminars on best interest assessment of unaccompanied minors are planned for March 2016. These will bring together representatives of the National Migration Institute, the National System for Integral Family Development, the Committee for Refugee Assistance and the consulates of El Salvador, Guatemala and Honduras (the main countries of origin of unaccompanied minors in Mexico). Experts from the Belgian and Dutch national administrations, as well as a Swedish NGO, are involved in this Action. Currently, MIEUX is also assisting the National Institute of Migration in developing an online training module for Child Protection Officers.",
        "start": "2015-10-01", "end": "2019-06-28", "status": "closed",
        "assessment_waiver": "Started directly with an information session and two seminars (March 2016) in which INM, DIF, COMAR and the consulates set the needs; no separate assessment mission.",
        "expert_institutions": ["be-guardianship", "nl-ind", "se-ngo"],
        "activities": [
            {"kind": "information_session", "title": "Information session on European child protection policies",
             "city": "Mexico City", "country": "MX", "remote": False, "start": "2016-03-07", "end": "2016-03-07",
             "languages": ["es", "en"], "status": "reported", "participants": {"female": 28, "male": 14},
             "report": "Representatives of INM, DIF, COMAR and the consulates of El Salvador, Guatemala and Honduras were introduced to European child protection policies.",
             "slots": [{"role": "lead_expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "seminar", "title": "Seminar on best interest assessment of unaccompanied minors",
             "city": "Mexico City", "country": "MX", "remote": False, "start": "2016-03-08", "end": "2016-03-09",
             "languages": ["es", "en"], "status": "reported", "participants": {"female": 24, "male": 12},
             "report": "Participants compared best interest assessment procedures in Belgium, the Netherlands and Sweden with Mexican practice.",
             "slots": [{"role": "expert", "theme": "horizontal", "language": "en", "count": 2}],
             "invented": ["start", "end", "participants"]},
            {"kind": "seminar", "title": "Seminar on best interest assessment at the southern border",
             "city": "Tapachula", "country": "MX", "remote": False, "start": "2016-03-10", "end": "2016-03-11",
             "languages": ["es"], "status": "reported", "participants": {"female": 20, "male": 15},
             "report": "Child Protection Officers and DIF staff at the southern border worked on case studies of best interest assessment.",
             "slots": [{"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "city", "participants"]},
            {"kind": "workshop", "title": "Regional workshop on assisting and protecting unaccompanied minors",
             "city": "Mexico City", "country": "MX", "remote": False, "start": "2017-06-19", "end": "2017-06-21",
             "languages": ["es", "en"], "status": "reported", "participants": {"female": 33, "male": 19},
             "report": "El Salvador, Guatemala, Honduras, Mexico, the United States, EU MS experts, NGOs and UN agencies exchanged good practices towards a unified regional response.",
             "slots": [{"role": "lead_expert", "theme": "horizontal", "language": "es", "count": 1},
                       {"role": "expert", "theme": "international_protection_asylum", "language": "en", "count": 2}],
             "invented": ["start", "end", "participants"]},
            {"kind": "long_distance_assistance", "title": "Support to the online training module for Child Protection Officers",
             "city": None, "country": None, "remote": True, "start": "2018-03-01", "end": "2019-03-29",
             "languages": ["es"], "status": "reported", "participants": {"female": 5, "male": 3},
             "report": "Experts reviewed the content and exercises of INM's online module for Child Protection Officers.",
             "slots": [{"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [
            {"kind": "handbook", "title": "Handbook on EU practices on protection and assistance of unaccompanied minors", "language": "es",
             "date": "2017-10-31", "invented": ["date"]},
            {"kind": "e_learning_module", "title": "Online training module for Child Protection Officers", "language": "es",
             "date": "2019-05-31", "invented": ["date", "title"]},
        ],
        "final_report": {"results": "Handbook on EU practices on protection and assistance of unaccompanied minors; online module for Child Protection Officers; lasting connection between the entities assisting vulnerable migrants.",
                         "officials_trained_female": 77, "officials_trained_male": 41, "institutions_reached": 18,
                         "lessons_learned": "Transversal inter-institutional cooperation is the key priority; the regional workshop left an enduring collaboration between entities.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached"]},
        "invented": ["end"],
    },
    # ------------------------------------------------------------------ Mexico II (001)
    {
        "name": "Mexico II", "country": "MX", "regional": False,
        "beneficiaries": ["mx-comar", "mx-segob"],
        "title": "Protection of Refugees and Integration of Immigrants",
        "theme": "international_protection_asylum", "subtopics": ["refugee_integration", "integration"],
        "objective": "Strengthen capacities of Mexican authorities in identification and protection of refugees and the integration of immigrants",
        "summary": "Mexico has become the transit and destination country for migrants and refugees from the Northern Triangle.",
        "start": "2016-09-01", "end": "2019-03-29", "status": "closed", "assessment_waiver": "Completed; the programme's documents do not record an assessment mission for this Action.",
        "expert_institutions": ["es-mir", "es-mismi", "de-bamf"],
        "activities": [
        ],
        "deliverables": [],
        "final_report": {"results": "Training for 755 government officials with mandates in the area of integration, the Mexican Commission for Refugee Assistance, and non-governmental and international organisation staff.",
                         "officials_trained_female": 421, "officials_trained_male": 334, "institutions_reached": 36,
                         "lessons_learned": "Training mixed audiences (government, COMAR, NGOs) built a shared understanding of protection and integration.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["title", "start", "end", "beneficiaries", "expert_institutions", "assessment_waiver"],
    },
    # ------------------------------------------------------------------ Mexico IV (000)
    {
        "name": "Mexico IV", "country": "MX", "regional": False,
        "beneficiaries": ["mx-inm"],
        "title": "Implementing the Protocol of Attention to Migrants in Large Flows",
        "theme": "irregular_migration_thb", "subtopics": ["border_management", "capacity_development"],
        "objective": "In the framework of the Mexico IV Action, MIEUX+ extended its efforts in implementing the Protocol of Attention to Migrants in Large Flows, building on a previous project with their National Institute for Migration.",
        "summary": "",
        "start": "2021-06-01", "end": "2023-05-31", "status": "closed",
        "assessment_waiver": "Follow-up of Mexico III: needs had been identified there, so implementation started with remote planning instead of an assessment mission.",
        "expert_institutions": ["gr-mma", "es-mir"],
        "activities": [
        ],
        "deliverables": [
        ],
        "final_report": {"results": "Protocol of Attention to Migrants in Large Flows rolled out at the southern and northern borders with a training curriculum for INM agents.",
                         "officials_trained_female": 34, "officials_trained_male": 44, "institutions_reached": 9,
                         "lessons_learned": "Peer experts who had managed mass arrivals in the EU gave the trainings credibility.",
                         "invented": ["*"]},
        "invented": ["title", "start", "end", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Panama (002)
    {
        "name": "Panama", "country": "PA", "regional": False,
        "beneficiaries": ["pa-snm"],
        "title": "Integrated Border Management (IBM)",
        "theme": "irregular_migration_thb", "subtopics": ["border_management"],
        "objective": "The MIEUX technical assistance in Panama aimed at supporting the development of a national IBM strategy through the provision of training and long-distance assistance.",
        "summary": "The first workshop took place in Panama City in October 2010. The three-day training aimed at providing key officials with the methodology and tools for initiating the process of developing a national IBM strategy. Specific focus was given to the setting up of an IBM Inter-agency Working Group (IAWG). Representatives from eight national agencies with relevant border management responsibilities were brought together to share experiences and were exposed to the best practices and examples of IBM implementation at the European level. A second workshop in February 2011 focused on the state of play and challenges of IBM in Panama and the identification of the main needs and priorities in this regard, as well as possible solutions to improve inter-agency cooperation. A preliminary identification of key objectives for the national IBM strategy was carried out. Through continuous long-distance assistance throughout the action, an analysis of the state of play of border management in Panama was conducted and final recommendations for the way forward in the process of developing a national IBM strategy were elaborated and handed-over to the national authorities in August 2011.",
        "start": "2010-10-01", "end": "2011-08-31", "status": "closed",
        "assessment_waiver": "Started with a training workshop (October 2010); the state-of-play analysis was done in the second workshop and through long-distance assistance.",
        "expert_institutions": ["es-mir", "pt-sef"],
        "activities": [
            {"kind": "workshop", "title": "Workshop on methodology for a national IBM strategy",
             "city": "Panama City", "country": "PA", "remote": False, "start": "2010-10-25", "end": "2010-10-27",
             "languages": ["es"], "status": "reported", "participants": {"female": 7, "male": 19},
             "report": "Representatives of eight national agencies learned EU IBM practice and discussed setting up an IBM Inter-agency Working Group.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "es", "count": 1},
                       {"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "workshop", "title": "Workshop on the state of play and challenges of IBM in Panama",
             "city": "Panama City", "country": "PA", "remote": False, "start": "2011-02-14", "end": "2011-02-16",
             "languages": ["es"], "status": "reported", "participants": {"female": 8, "male": 17},
             "report": "Identified main needs and priorities, possible solutions for inter-agency cooperation and preliminary objectives for the strategy.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 2}],
             "invented": ["start", "end", "participants"]},
            {"kind": "long_distance_assistance", "title": "Long-distance analysis of border management in Panama",
             "city": None, "country": None, "remote": True, "start": "2010-11-02", "end": "2011-08-12",
             "languages": ["es"], "status": "reported", "participants": {"female": 2, "male": 4},
             "report": "Analysis of the state of play and final recommendations handed over to the national authorities in August 2011.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [
            {"kind": "guidelines", "title": "Recommendations for the development of a national IBM strategy", "language": "es",
             "date": "2011-08-12", "invented": ["date", "title"]},
        ],
        "final_report": {"results": "Key objectives for a national IBM strategy identified and final recommendations handed over in August 2011.",
                         "officials_trained_female": 15, "officials_trained_male": 36, "institutions_reached": 8,
                         "lessons_learned": "An inter-agency working group is the precondition for any IBM strategy.",
                         "invented": ["officials_trained_female", "officials_trained_male", "lessons_learned"]},
        "invented": ["beneficiaries", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Paraguay (002: "Paraguay I")
    {
        "name": "Paraguay I", "country": "PY", "regional": False,
        "beneficiaries": ["py-dscpca"],
        "title": "Capacity Building for Consular Staff",
        "theme": "horizontal", "subtopics": ["consular_affairs", "capacity_development"],
        "objective": "MIEUX provided technical assistance to the Ministry of Foreign Affairs of Paraguay, and in particular, to the Directorate for Paraguayans Abroad (DSCPCA). The main objective of this action was to support the DSCPCA in the knowledge building of headquarters and consular staff with respect to international standards in immigration policy and procedures.",
        "summary": "A mapping mission took place in November 2011 in which bilateral meetings were held with relevant national institutions dealing with migration, as well as other important stakeholders, in order to identify priority areas, and the existing gaps and needs of Paraguayan migration management, especially in the area of consular services and support of nationals abroad. In April 2012, training on migration management for Paraguayan administrations dealing with migration issues, and consular staff at Argentinean, Brazilian, Chilean and Uruguayan consular posts, took place in Asunción. The final activity involved training on migration management for Paraguayan consular staff at European consular posts in Madrid in July 2012. Experts from the Dutch and Spanish national administrations were deployed for this action.",
        "start": "2011-04-01", "end": "2012-07-31", "status": "closed", "assessment_waiver": None,
        "expert_institutions": ["nl-mfa", "es-maec"],
        "activities": [
            {"kind": "mapping_mission", "title": "Mapping mission on consular services and support of nationals abroad",
             "city": "Asunción", "country": "PY", "remote": False, "start": "2011-11-14", "end": "2011-11-18",
             "languages": ["es"], "status": "reported", "participants": {"female": 10, "male": 8},
             "report": "Bilateral meetings with national migration institutions identified priority areas, gaps and needs.",
             "slots": [{"role": "lead_expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "training", "title": "Training on migration management for administrations and consular staff in the region",
             "city": "Asunción", "country": "PY", "remote": False, "start": "2012-04-16", "end": "2012-04-20",
             "languages": ["es"], "status": "reported", "participants": {"female": 17, "male": 13},
             "report": "Paraguayan administrations and consular staff from posts in Argentina, Brazil, Chile and Uruguay were trained.",
             "slots": [{"role": "trainer", "theme": "horizontal", "language": "es", "count": 2}],
             "invented": ["start", "end", "participants"]},
            {"kind": "training", "title": "Training on migration management for consular staff at European posts",
             "city": "Madrid", "country": "ES", "remote": False, "start": "2012-07-09", "end": "2012-07-12",
             "languages": ["es"], "status": "reported", "participants": {"female": 9, "male": 6},
             "report": "Paraguayan consular staff at European posts were trained on EU immigration rules and procedures.",
             "slots": [{"role": "trainer", "theme": "horizontal", "language": "es", "count": 1},
                       {"role": "trainer", "theme": "legal_migration_mobility", "language": "en", "count": 1}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [],
        "final_report": {"results": "Headquarters and consular staff in the region and in Europe trained on international standards in immigration policy and procedures.",
                         "officials_trained_female": 26, "officials_trained_male": 19, "institutions_reached": 12,
                         "lessons_learned": "Training consular staff where they serve (region, Europe) reached more posts than a single central course.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": [],
    },
    # ------------------------------------------------------------------ Paraguay II (002)
    {
        "name": "Paraguay II", "country": "PY", "regional": False,
        "beneficiaries": ["py-dscpca"],
        "title": "Diaspora Engagement, Data Management",
        "theme": "migration_development", "subtopics": ["diaspora_engagement", "data_management"],
        "objective": "The overall objective of this action is to support the implementation of the Paraguayan National Migration Policy, in particular to support the government in professionalising its public services for Paraguayans abroad.",
        "summary": "This Action is supporting the Directorate of Support to the Paraguayan Communities Abroad under the Ministry of Foreign Affairs in elaborating a comprehensive, tailor-made training curriculum on diaspora engagement for consular staff. Furthermore, the theoretical knowledge with regard to data collection and analysis on Paraguayans living abroad is strengthened. The first activity that took place in November 2015 consisted of a knowledge exchange seminar on diaspora engagement, and a coordination session to launch the development of the diaspora engagement training curriculum.",
        "start": "2015-04-01", "end": "2016-12-16", "status": "closed",
        "assessment_waiver": "Started with a knowledge exchange seminar and coordination session (November 2015); gaps and needs had been mapped in the first Paraguay Action.",
        "expert_institutions": ["ie-dfa", "es-maec"],
        "activities": [
            {"kind": "seminar", "title": "Knowledge exchange seminar on diaspora engagement",
             "city": "Asunción", "country": "PY", "remote": False, "start": "2015-11-16", "end": "2015-11-18",
             "languages": ["es", "en"], "status": "reported", "participants": {"female": 18, "male": 12},
             "report": "Officials compared diaspora engagement policies and services for nationals abroad.",
             "slots": [{"role": "lead_expert", "theme": "migration_development", "language": "en", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "coordination_session", "title": "Coordination session launching the diaspora engagement curriculum",
             "city": "Asunción", "country": "PY", "remote": False, "start": "2015-11-19", "end": "2015-11-19",
             "languages": ["es"], "status": "reported", "participants": {"female": 6, "male": 3},
             "report": "Agreed the structure, modules and timeline of the training curriculum.",
             "slots": [{"role": "expert", "theme": "migration_development", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [
            {"kind": "training_curriculum", "title": "Training curriculum on diaspora engagement for consular staff", "language": "es",
             "date": "2016-11-30", "invented": ["date"]},
        ],
        "final_report": {"results": "Tailor-made training curriculum on diaspora engagement for consular staff; staff trained on data collection and analysis on Paraguayans abroad.",
                         "officials_trained_female": 32, "officials_trained_male": 21, "institutions_reached": 6,
                         "lessons_learned": "Diaspora services need data first: the data training should have come earlier.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["end", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Peru (002)
    {
        "name": "Peru", "country": "PE", "regional": False,
        "beneficiaries": ["pe-requester"],
        "title": "Trafficking in Human Beings (THB)",
        "theme": "irregular_migration_thb", "subtopics": ["thb"],
        "objective": "The aim of this Action is to support the efforts of the Permanent Multisectoral Working Group against Trafficking in Human Beings to strengthen its response to the human trafficking challenge in line with the objectives of the Peruvian National Anti-Trafficking Action Plan.",
        "summary": "A fact-finding mission to identify needs in the area of human trafficking, and to provide recommendations for the improvement of assistance to victims of THB, took place in April 2013. Based on the results of the fact-finding report, the MIEUX team supported the peer-to-peer knowledge exchange on victim-centred responses to human trafficking between the members of the Permanent Multisectoral Working Group against Trafficking in Human Beings and civil servants from the EU and Latin America in September 2013. During a study visit to Argentina in March 2015, Peruvian government officials had the opportunity to meet stakeholders in charge of prosecution, protection and prevention in another country, to exchange experiences and to learn in particular from the knowledge gained with regard to victim assistance. In July 2015, experts assisted the Permanent Multisectoral Working Group against Trafficking in Human Beings and regional representatives in developing a framework for monitoring and evaluating the national and regional anti-trafficking action plans. The development of a monitoring and evaluation handbook is the final activity of this Action. This practical tool will provide the Peruvian authorities with easy-to-follow guidelines on how to monitor, review, evaluate and report on the implementation of national and regional anti-trafficking action plans. Experts from the Argentinean, Brazilian, Portuguese and Spanish national administrations are being deployed for this Action.",
        "start": "2013-04-01", "end": "2016-06-30", "status": "closed", "assessment_waiver": None,
        "expert_institutions": ["es-mir", "pt-sef", "ar-mjdh", "br-mj"],
        "activities": [
            {"kind": "fact_finding_mission", "title": "Fact-finding mission on assistance to victims of THB",
             "city": "Lima", "country": "PE", "remote": False, "start": "2013-04-15", "end": "2013-04-19",
             "languages": ["es"], "status": "reported", "participants": {"female": 14, "male": 9},
             "report": "Identified needs in the area of human trafficking and recommended improvements to assistance to victims.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "es", "count": 1}],
             "invented": ["start", "end", "participants"]},
            {"kind": "workshop", "title": "Peer exchange workshop on victim-centred responses to human trafficking",
             "city": "Lima", "country": "PE", "remote": False, "start": "2013-09-23", "end": "2013-09-25",
             "languages": ["es", "pt"], "status": "reported", "participants": {"female": 22, "male": 13},
             "report": "Members of the Permanent Multisectoral Working Group exchanged with civil servants from the EU and Latin America on victim-centred responses.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 2},
                       {"role": "expert", "theme": "irregular_migration_thb", "language": "pt", "count": 1}],
             "invented": ["start", "end", "city", "participants"]},
            {"kind": "study_visit", "title": "Study visit to Argentina on victim assistance",
             "city": "Buenos Aires", "country": "AR", "remote": False, "start": "2015-03-16", "end": "2015-03-20",
             "languages": ["es"], "status": "reported", "participants": {"female": 5, "male": 3},
             "report": "Peruvian officials met Argentinean stakeholders in charge of prosecution, protection and prevention, and learned from their victim assistance.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 1}],
             "invented": ["start", "end", "city", "participants"]},
            {"kind": "workshop", "title": "Workshop on monitoring and evaluation of anti-trafficking action plans",
             "city": "Lima", "country": "PE", "remote": False, "start": "2015-07-13", "end": "2015-07-15",
             "languages": ["es"], "status": "reported", "participants": {"female": 19, "male": 12},
             "report": "The Working Group and regional representatives developed a framework for monitoring and evaluating the national and regional action plans.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "es", "count": 1},
                       {"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["start", "end", "city", "participants"]},
        ],
        "deliverables": [
            {"kind": "handbook", "title": "Monitoring and evaluation handbook for national and regional anti-trafficking action plans",
             "language": "es", "date": "2016-05-31", "invented": ["date"]},
        ],
        "final_report": {"results": "A framework and an easy-to-follow handbook to monitor, review, evaluate and report on the national and regional anti-trafficking action plans.",
                         "officials_trained_female": 41, "officials_trained_male": 25, "institutions_reached": 15,
                         "lessons_learned": "South-South peers (Argentina, Brazil) next to EU experts made the exchange on victim assistance concrete.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["end"],
    },
    # ------------------------------------------------------------------ Peru III (000, 001) -- there is no Peru II in the sources
    {
        "name": "Peru III", "country": "PE", "regional": False,
        "beneficiaries": ["pe-requester"],
        "title": "Smuggling of Migrants and Trafficking in Human Beings",
        "theme": "irregular_migration_thb", "subtopics": ["som", "thb"],
        "objective": "To strengthen the knowledge of staff working at the provincial desks of the Permanent Multilateral Commission against THB and Migrant Smuggling by delivering specific training and also developing guidelines",
        "summary": "Certain provinces of Peru are major transit routes for the smuggling of migrants in LAC, but so far authorities have focused mainly on investigation and prosecution of THB. With the objective to strengthen inter-institutional and cross-border coordination, MIEUX supported the development of inter-sectoral guidelines and a targeted training manual to counter migrant smuggling through the Peru III Action.",
        "start": "2017-03-01", "end": "2019-09-30", "status": "closed", "assessment_waiver": "Completed; the programme's documents do not record an assessment mission for this Action.",
        "expert_institutions": ["es-mir", "es-fge", "pt-sef"],
        "activities": [
        ],
        "deliverables": [
            {"kind": "guidelines", "title": "Inter-sectoral guidelines on fighting migrant smuggling", "language": "es",
             "date": "2019-06-28", "invented": ["date"]},
            {"kind": "training_curriculum", "title": "Training curriculum on THB for government officials", "language": "es",
             "date": "2019-03-29", "invented": ["date"]},
        ],
        "final_report": {"results": "Inter-sectoral guidelines on fighting migrant smuggling and a training curriculum on THB for government officials.",
                         "officials_trained_female": 32, "officials_trained_male": 35, "institutions_reached": 16,
                         "lessons_learned": "Working in the border provinces, not only in Lima, made the guidelines fit the provincial desks.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["title", "start", "end", "expert_institutions", "assessment_waiver"],
    },
    # ------------------------------------------------------------------ SICA (002)
    {
        "name": "SICA", "country": None, "regional": True,
        "beneficiaries": ["sica"],
        "title": "Integrated Border Management",
        "theme": "irregular_migration_thb", "subtopics": ["border_management"],
        "objective": "MIEUX supported the Central American Integration System (SICA) in the organisation of a Regional Thematic Workshop on Integrated Border Management (IBM), which took place in Panama City, with the aim of introducing the concept of IBM in the region.",
        "summary": "For the first time in the Central American integration process, representatives from different institutions – police, migration and customs – of different countries – SICA Member States Guatemala, El Salvador, Honduras, Nicaragua, Costa Rica, Panama, as well as Belize – were brought together to discuss the concept of IBM and explore its potential for border management in Central America.",
        "start": "2010-05-10", "end": "2010-05-14", "status": "closed",
        "assessment_waiver": "A single regional thematic workshop; no assessment mission was foreseen.",
        "expert_institutions": ["at-bmi", "es-mir"],
        "activities": [
            {"kind": "workshop", "title": "Regional Thematic Workshop on Integrated Border Management",
             "city": "Panama City", "country": "PA", "remote": False, "start": "2010-05-10", "end": "2010-05-14",
             "languages": ["es", "en"], "status": "reported", "participants": {"female": 9, "male": 31},
             "report": "Police, migration and customs officials from seven countries discussed the IBM concept and its potential for Central America.",
             "slots": [{"role": "lead_expert", "theme": "irregular_migration_thb", "language": "es", "count": 1},
                       {"role": "expert", "theme": "irregular_migration_thb", "language": "en", "count": 2}],
             "invented": ["participants"]},
        ],
        "deliverables": [],
        "final_report": {"results": "The IBM concept was introduced in the region, bringing police, migration and customs of SICA Member States and Belize together for the first time.",
                         "officials_trained_female": 9, "officials_trained_male": 31, "institutions_reached": 21,
                         "lessons_learned": "A regional event is a good entry point, but national follow-up (e.g. Panama) is needed for a strategy.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["expert_institutions"],
    },
    # ------------------------------------------------------------------ MERCOSUR (002)
    {
        "name": "MERCOSUR", "country": None, "regional": True,
        "beneficiaries": ["parlasur"],
        "title": "A Human Rights' Cross-cutting Approach to Border Management and Trafficking in Human Beings",
        "theme": "legal_migration_mobility", "subtopics": ["free_movement", "border_management", "thb", "human_rights"],
        "objective": "The aim of this action was to support the Parliament of the MERCOSUR in the development of the free movement of persons’ agenda in the region.",
        "summary": "The MIEUX technical assistance touched upon the areas of Border Management and Trafficking in Human Beings, with a human rights’ cross-cutting perspective. In June 2011, the \"Working Group Session on Regional Migration Policy and Security\" took place in Paraguay, with the participation of representatives from both legislative and executive bodies of the MERCOSUR Member and Associate States. Workshops on the topics of trafficking in human beings and border management took place in Montevideo in September and December 2011, during which recommendations for the course of action in each of the given areas were elaborated. The activities were implemented with the participation of experts from the Austrian, Spanish and Portuguese national administrations.",
        "start": "2011-04-01", "end": "2011-12-31", "status": "closed",
        "assessment_waiver": "Started with a working group session on regional migration policy and security (June 2011) instead of an assessment mission.",
        "expert_institutions": ["at-bmi", "es-mir", "pt-sef"],
        "activities": [
            {"kind": "working_group_session", "title": "Working Group Session on Regional Migration Policy and Security",
             "city": "Asunción", "country": "PY", "remote": False, "start": "2011-06-20", "end": "2011-06-22",
             "languages": ["es", "pt"], "status": "reported", "participants": {"female": 12, "male": 20},
             "report": "Legislative and executive representatives of MERCOSUR Member and Associate States discussed regional migration policy and security.",
             "slots": [{"role": "lead_expert", "theme": "legal_migration_mobility", "language": "es", "count": 1},
                       {"role": "expert", "theme": "irregular_migration_thb", "language": "pt", "count": 1}],
             "invented": ["start", "end", "city", "participants"]},
            {"kind": "workshop", "title": "Workshop on trafficking in human beings",
             "city": "Montevideo", "country": "UY", "remote": False, "start": "2011-09-26", "end": "2011-09-28",
             "languages": ["es", "pt"], "status": "reported", "participants": {"female": 15, "male": 11},
             "report": "Recommendations for the course of action on THB with a human rights perspective were elaborated.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 2}],
             "invented": ["start", "end", "participants"]},
            {"kind": "workshop", "title": "Workshop on border management",
             "city": "Montevideo", "country": "UY", "remote": False, "start": "2011-12-05", "end": "2011-12-07",
             "languages": ["es", "pt"], "status": "reported", "participants": {"female": 9, "male": 18},
             "report": "Recommendations for the course of action on border management and free movement were elaborated.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 2}],
             "invented": ["start", "end", "participants"]},
        ],
        "deliverables": [],
        "final_report": {"results": "Recommendations on THB and border management, with a human rights perspective, for the MERCOSUR free movement agenda.",
                         "officials_trained_female": 36, "officials_trained_male": 49, "institutions_reached": 19,
                         "lessons_learned": "Bringing legislators and executive bodies together helped align the free movement agenda with operational practice.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": [],
    },
    # ------------------------------------------------------------------ IberRed (001, 003)
    {
        "name": "IberRed", "country": None, "regional": True,
        "beneficiaries": ["iberred-prosecutors"],
        "title": "Judicial Cooperation against Trafficking and Smuggling of Migrants",
        "theme": "irregular_migration_thb", "subtopics": ["thb", "som", "gender", "human_rights"],
        "objective": "To support to the drafting of a revised protocol for inter-institutional cooperation on trafficking and smuggling among public prosecutors of the Ibero-American region",
        "summary": "Judicial cooperation is a key component in the fight against intra- and trans-regional trafficking and smuggling of migrants. MIEUX supported the Ibero-American Network of Public Prosecutors on Trafficking in Persons to incorporate a component on SOM on occasion of its yearly gathering in 2017. The result of these efforts is the revised Protocol for Inter-Institutional Cooperation, which incorporates a gender dimension and human-rights based approach, published in November 2017.",
        "start": "2017-03-01", "end": "2018-03-30", "status": "closed",
        "assessment_waiver": "Regional Action built around the network's yearly gathering; needs were set with the network's focal points in a coordination session.",
        "expert_institutions": ["es-fge", "pt-pgr"],
        "activities": [
            {"kind": "workshop", "title": "Yearly gathering of public prosecutors: smuggling of migrants component",
             "city": "Antigua Guatemala", "country": "GT", "remote": False, "start": "2017-09-18", "end": "2017-09-21",
             "languages": ["es", "pt"], "status": "reported", "participants": {"female": 17, "male": 15},
             "report": "Prosecutors from across the Ibero-American region worked on the revision of the Protocol, adding smuggling, gender and human rights elements.",
             "slots": [{"role": "expert", "theme": "irregular_migration_thb", "language": "es", "count": 1},
                       {"role": "expert", "theme": "irregular_migration_thb", "language": "pt", "count": 1}],
             "invented": ["start", "end", "city", "participants"]},
        ],
        "deliverables": [
            {"kind": "protocol", "title": "Protocol for Inter-institutional Cooperation to Strengthen Investigation, Attention and Protection of Victims of Trafficking in Persons among Ibero-American Public Prosecutor's Offices (revised)",
             "language": "es", "date": "2017-11-15", "invented": ["date"]},
        ],
        "final_report": {"results": "Revised Protocol for Inter-Institutional Cooperation, incorporating smuggling of migrants, a gender dimension and a human-rights based approach, published in November 2017.",
                         "officials_trained_female": 31, "officials_trained_male": 25, "institutions_reached": 21,
                         "lessons_learned": "Using an existing network's yearly gathering gave the revision regional ownership at low cost.",
                         "invented": ["officials_trained_female", "officials_trained_male", "institutions_reached", "lessons_learned"]},
        "invented": ["title", "start", "end", "expert_institutions"],
    },
    # ------------------------------------------------------------------ MIRPS (000)
    {
        "name": "MIRPS", "country": None, "regional": True,
        "beneficiaries": ["bz-refugees", "cr-dgme", "sv-mre", "gt-igm", "hn-inm", "mx-comar", "pa-onpar"],
        "title": "Strengthening National Asylum Systems in the MIRPS Countries",
        "theme": "international_protection_asylum", "subtopics": ["forced_displacement", "refugee_integration", "capacity_development"],
        "objective": "With the MIRPS Action, MIEUX+ strenghtened national asylum systems of Belize, Costa Rica, El Salvador, Guatemala, Honduras, Mexico and Panama through dialogue and peer-to-peer capacity development, as well as opening the space for dialogue between EU and local and regional actors.",
        "summary": "",
        "start": "2021-02-01", "end": "2022-11-30", "status": "closed",
        "assessment_waiver": "Launched during COVID-19 with a long-distance mapping of the seven national asylum systems instead of an in-country mission.",
        "expert_institutions": ["es-mir", "de-bamf", "euaa"],
        "activities": [
        ],
        "deliverables": [
        ],
        "final_report": {"results": "Seven national asylum systems supported through peer exchange; a regular dialogue space between EU and MIRPS actors opened.",
                         "officials_trained_female": 57, "officials_trained_male": 40, "institutions_reached": 24,
                         "lessons_learned": "A regional framework gives bilateral peer exchanges a common agenda.",
                         "invented": ["*"]},
        "invented": ["title", "start", "end", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Gran Chaco (000, ongoing)
    {
        "name": "Gran Chaco", "country": None, "regional": True,
        "beneficiaries": ["py-mades", "ar-unne", "redes-chaco"],
        "title": "Environmental Migration in the South American Gran Chaco",
        "theme": "horizontal", "subtopics": ["migration_climate", "human_rights", "policy_strategy"],
        "objective": "In the South American Gran Chaco, MIEUX+ collaborates with a diverse network of partners from local and national authorities, academia, and civil society organisations, to analyse human mobility and draft policy recommendations related to environmental migration, with a focus on indigenous communities.",
        "summary": "",
        "start": "2024-10-01", "end": "2027-09-30", "status": "implementation", "assessment_waiver": None,
        "expert_institutions": ["es-comillas", "es-miteco"],
        "activities": [
            {"kind": "mapping_mission", "title": "Mapping mission on human mobility in the Paraguayan Chaco",
             "city": "Filadelfia", "country": "PY", "remote": False, "start": "2025-03-17", "end": "2025-03-21",
             "languages": ["es"], "status": "reported", "participants": {"female": 18, "male": 16},
             "report": "Met local authorities, indigenous organisations and researchers to map drought- and flood-related mobility.",
             "slots": [{"role": "lead_expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "workshop", "title": "Workshop on data and research on environmental migration",
             "city": "Resistencia", "country": "AR", "remote": False, "start": "2025-09-22", "end": "2025-09-24",
             "languages": ["es"], "status": "reported", "participants": {"female": 21, "male": 14},
             "report": "Academia, authorities and civil society agreed a common analytical framework for the mobility study.",
             "slots": [{"role": "expert", "theme": "horizontal", "language": "es", "count": 2}],
             "invented": ["*"]},
            {"kind": "round_table", "title": "Round-table with indigenous communities on climate and mobility",
             "city": "Villamontes", "country": "BO", "remote": False, "start": "2026-05-12", "end": "2026-05-13",
             "languages": ["es"], "status": "reported", "participants": {"female": 24, "male": 22},
             "report": "Indigenous leaders from the three countries shared how environmental change drives their mobility.",
             "slots": [{"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "long_distance_assistance", "title": "Remote drafting of the policy recommendations",
             "city": None, "country": None, "remote": True, "start": "2027-01-11", "end": "2027-04-30",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "workshop", "title": "Validation workshop of the policy recommendations",
             "city": "Asunción", "country": "PY", "remote": False, "start": "2027-06-07", "end": "2027-06-09",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "lead_expert", "theme": "horizontal", "language": "es", "count": 1},
                       {"role": "expert", "theme": "horizontal", "language": "es", "count": 1}],
             "invented": ["*"]},
        ],
        "deliverables": [
        ],
        "final_report": None,
        "invented": ["title", "start", "end", "beneficiaries", "expert_institutions"],
    },
    # ------------------------------------------------------------------ Brazil III (000)
    {
        "name": "Brazil III", "country": "BR", "regional": False,
        "beneficiaries": ["br-dpu"],
        "title": "Interviewing Unaccompanied Migrant Children",
        "theme": "horizontal", "subtopics": ["unaccompanied_minors", "human_rights"],
        "objective": "As part of the Brazil III Action, MIEUX+ provided support to the Federal Public Defender's office in enhancing their expertise in interviewing techniques for unaccompanied migrant children.",
        "summary": "",
        "start": "2021-04-01", "end": "2022-09-30", "status": "closed", "assessment_waiver": "Completed; the programme's documents do not record an assessment mission for this Action.",
        "expert_institutions": ["be-guardianship", "nl-ind"],
        "activities": [
        ],
        "deliverables": [
        ],
        "final_report": {"results": "Public defenders trained on interviewing techniques for unaccompanied migrant children; DPU trainers can replicate the course.",
                         "officials_trained_female": 29, "officials_trained_male": 14, "institutions_reached": 4,
                         "lessons_learned": "Interpretation between Portuguese and English worked, but Portuguese-speaking experts would be better.",
                         "invented": ["*"]},
        "invented": ["start", "end", "expert_institutions", "assessment_waiver"],
    },
    # ------------------------------------------------------------------ El Salvador II (000, ongoing)
    {
        "name": "El Salvador II", "country": "SV", "regional": False,
        "beneficiaries": ["sv-mre"],
        "title": "Course on EU Migration Policy and Asylum",
        "theme": "international_protection_asylum", "subtopics": ["capacity_development", "consular_affairs"],
        "objective": "MIEUX+ is cooperating with the Ministry of Foreign Affairs to create a course centered on EU migration policy and asylum, in the context of the El Salvador II Action.",
        "summary": "",
        "start": "2026-10-01", "end": "2027-12-17", "status": "implementation", "assessment_waiver": "Under way according to the programme's overview of its ongoing Actions; the demo does not record its assessment.",
        "expert_institutions": ["es-maec", "es-mir"],
        "activities": [
            {"kind": "assessment_mission", "title": "Assessment mission on the course's audience and content",
             "city": "San Salvador", "country": "SV", "remote": False, "start": "2027-02-22", "end": "2027-02-26",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "lead_expert", "theme": "international_protection_asylum", "language": "es", "count": 1}],
             "invented": ["*"]},
            {"kind": "training", "title": "Pilot course on EU migration policy and asylum",
             "city": "San Salvador", "country": "SV", "remote": False, "start": "2027-07-12", "end": "2027-07-16",
             "languages": ["es"], "status": "planned",
             "slots": [{"role": "trainer", "theme": "international_protection_asylum", "language": "es", "count": 1},
                       {"role": "trainer", "theme": "legal_migration_mobility", "language": "es", "count": 1}],
             "invented": ["*"]},
        ],
        "deliverables": [],
        "final_report": None,
        "invented": ["title", "start", "end", "expert_institutions", "assessment_waiver"],
    },
]

EXPERTS = [   # invented people, spread over the expert administrations above
    {"name": "Lucía Herrera Campos", "email": "expert@demo.peerflow.org", "gender": "female", "nationality": "ES",
     "institution": "es-mir", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "C1", "fr": "B2"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 14},
    {"name": "Javier Molina Ortega", "email": "javier.molina@demo.peerflow.org", "gender": "male", "nationality": "ES",
     "institution": "es-mir", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "B2"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 19},
    {"name": "Marta Sanz Villalobos", "email": "marta.sanz@demo.peerflow.org", "gender": "female", "nationality": "ES",
     "institution": "es-mir", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "C1"}, "themes": {"international_protection_asylum": 3}, "years_experience": 11},
    {"name": "Andrés Pastor Gil", "email": "andres.pastor@demo.peerflow.org", "gender": "male", "nationality": "ES",
     "institution": "es-mir", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "B2", "pt": "B1"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 22},
    {"name": "Carmen Ibáñez Rueda", "email": "carmen.ibanez@demo.peerflow.org", "gender": "female", "nationality": "ES",
     "institution": "es-maec", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "C1", "fr": "C1"}, "themes": {"horizontal": 3, "legal_migration_mobility": 2}, "years_experience": 17},
    {"name": "Diego Navarro Lis", "email": "diego.navarro@demo.peerflow.org", "gender": "male", "nationality": "ES",
     "institution": "es-maec", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "C1"}, "themes": {"horizontal": 2, "international_protection_asylum": 2}, "years_experience": 9},
    {"name": "Elena Robles Martín", "email": "elena.robles@demo.peerflow.org", "gender": "female", "nationality": "ES",
     "institution": "es-mismi", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "C1"}, "themes": {"legal_migration_mobility": 3}, "years_experience": 16},
    {"name": "Tomás Aguirre Llorente", "email": "tomas.aguirre@demo.peerflow.org", "gender": "male", "nationality": "ES",
     "institution": "es-mismi", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "B2", "it": "B1"}, "themes": {"legal_migration_mobility": 3, "horizontal": 2}, "years_experience": 12},
    {"name": "Rocío Fuentes Calvo", "email": "rocio.fuentes@demo.peerflow.org", "gender": "female", "nationality": "ES",
     "institution": "es-fge", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "pt": "B2", "en": "B2"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 20},
    {"name": "Núria Puig Serra", "email": "nuria.puig@demo.peerflow.org", "gender": "female", "nationality": "ES",
     "institution": "es-bcn", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "ca": "C2", "en": "C1"}, "themes": {"legal_migration_mobility": 3}, "years_experience": 13},
    {"name": "Pablo Ceballos Arias", "email": "pablo.ceballos@demo.peerflow.org", "gender": "male", "nationality": "ES",
     "institution": "es-comillas", "country": "ES", "type": "academic",
     "languages": {"es": "C2", "en": "C2", "fr": "B2"}, "themes": {"horizontal": 3, "migration_development": 2}, "years_experience": 18},
    {"name": "Irene Lozano Prats", "email": "irene.lozano@demo.peerflow.org", "gender": "female", "nationality": "ES",
     "institution": "es-comillas", "country": "ES", "type": "academic",
     "languages": {"es": "C2", "en": "C1", "pt": "B2"}, "themes": {"horizontal": 3, "irregular_migration_thb": 1}, "years_experience": 10},
    {"name": "Sergio Vidal Quintana", "email": "sergio.vidal@demo.peerflow.org", "gender": "male", "nationality": "ES",
     "institution": "es-miteco", "country": "ES", "type": "ms_official",
     "languages": {"es": "C2", "en": "C1"}, "themes": {"horizontal": 3}, "years_experience": 8},
    {"name": "Ana Rita Figueiredo", "email": "ana.figueiredo@demo.peerflow.org", "gender": "female", "nationality": "PT",
     "institution": "pt-sef", "country": "PT", "type": "ms_official",
     "languages": {"pt": "C2", "es": "C1", "en": "C1"}, "themes": {"irregular_migration_thb": 3, "horizontal": 2}, "years_experience": 15},
    {"name": "João Carvalho Pinto", "email": "joao.carvalho@demo.peerflow.org", "gender": "male", "nationality": "PT",
     "institution": "pt-sef", "country": "PT", "type": "ms_official",
     "languages": {"pt": "C2", "es": "B2", "en": "B2"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 21},
    {"name": "Helena Moura Santos", "email": "helena.moura@demo.peerflow.org", "gender": "female", "nationality": "PT",
     "institution": "pt-pgr", "country": "PT", "type": "ms_official",
     "languages": {"pt": "C2", "es": "C1", "en": "B2"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 17},
    {"name": "Markus Leitner", "email": "markus.leitner@demo.peerflow.org", "gender": "male", "nationality": "AT",
     "institution": "at-bmi", "country": "AT", "type": "ms_official",
     "languages": {"de": "C2", "en": "C1", "es": "B2"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 23},
    {"name": "Sanne de Vries", "email": "sanne.devries@demo.peerflow.org", "gender": "female", "nationality": "NL",
     "institution": "nl-ind", "country": "NL", "type": "ms_official",
     "languages": {"nl": "C2", "en": "C2", "es": "B2"}, "themes": {"horizontal": 3, "international_protection_asylum": 2}, "years_experience": 12},
    {"name": "Pieter Jansen", "email": "pieter.jansen@demo.peerflow.org", "gender": "male", "nationality": "NL",
     "institution": "nl-ind", "country": "NL", "type": "ms_official",
     "languages": {"nl": "C2", "en": "C1", "pt": "B1"}, "themes": {"international_protection_asylum": 3}, "years_experience": 16},
    {"name": "Femke Bakker", "email": "femke.bakker@demo.peerflow.org", "gender": "female", "nationality": "NL",
     "institution": "nl-mfa", "country": "NL", "type": "ms_official",
     "languages": {"nl": "C2", "en": "C2", "es": "C1"}, "themes": {"horizontal": 2, "legal_migration_mobility": 3}, "years_experience": 14},
    {"name": "Sophie Lambert", "email": "sophie.lambert@demo.peerflow.org", "gender": "female", "nationality": "BE",
     "institution": "be-guardianship", "country": "BE", "type": "ms_official",
     "languages": {"fr": "C2", "nl": "C1", "en": "C1", "es": "B1"}, "themes": {"horizontal": 3}, "years_experience": 13},
    {"name": "Karin Lindqvist", "email": "karin.lindqvist@demo.peerflow.org", "gender": "female", "nationality": "SE",
     "institution": "se-ngo", "country": "SE", "type": "ngo",
     "languages": {"sv": "C2", "en": "C2", "es": "B1"}, "themes": {"horizontal": 3, "international_protection_asylum": 2}, "years_experience": 11},
    {"name": "Jonas Weber", "email": "jonas.weber@demo.peerflow.org", "gender": "male", "nationality": "DE",
     "institution": "de-bamf", "country": "DE", "type": "ms_official",
     "languages": {"de": "C2", "en": "C1", "es": "B2"}, "themes": {"international_protection_asylum": 3}, "years_experience": 15},
    {"name": "Giulia Romano", "email": "giulia.romano@demo.peerflow.org", "gender": "female", "nationality": "IT",
     "institution": "it-mi", "country": "IT", "type": "ms_official",
     "languages": {"it": "C2", "es": "C1", "en": "B2"}, "themes": {"irregular_migration_thb": 3, "international_protection_asylum": 2}, "years_experience": 18},
    {"name": "Marco Bellini", "email": "marco.bellini@demo.peerflow.org", "gender": "male", "nationality": "IT",
     "institution": "it-inmp", "country": "IT", "type": "ms_official",
     "languages": {"it": "C2", "es": "B2", "en": "C1"}, "themes": {"horizontal": 3}, "years_experience": 12},
    {"name": "Eleni Papadaki", "email": "eleni.papadaki@demo.peerflow.org", "gender": "female", "nationality": "GR",
     "institution": "gr-mma", "country": "GR", "type": "ms_official",
     "languages": {"el": "C2", "en": "C1", "es": "B2"}, "themes": {"irregular_migration_thb": 2, "international_protection_asylum": 3}, "years_experience": 9},
    {"name": "Ciarán O'Neill", "email": "ciaran.oneill@demo.peerflow.org", "gender": "male", "nationality": "IE",
     "institution": "ie-dfa", "country": "IE", "type": "ms_official",
     "languages": {"en": "C2", "ga": "B2", "es": "B2"}, "themes": {"migration_development": 3}, "years_experience": 14},
    {"name": "Alex Camilleri", "email": "alex.camilleri@demo.peerflow.org", "gender": "other", "nationality": "MT",
     "institution": "euaa", "country": "MT", "type": "international_organisation",
     "languages": {"en": "C2", "mt": "C2", "es": "B2", "it": "B2"}, "themes": {"international_protection_asylum": 3}, "years_experience": 10},
    {"name": "Valeria Domínguez", "email": "valeria.dominguez@demo.peerflow.org", "gender": "female", "nationality": "AR",
     "institution": "ar-mjdh", "country": "AR", "type": "partner_peer",
     "languages": {"es": "C2", "en": "B2", "pt": "B1"}, "themes": {"irregular_migration_thb": 3}, "years_experience": 16},
    {"name": "Rafael Teixeira Lima", "email": "rafael.teixeira@demo.peerflow.org", "gender": "male", "nationality": "BR",
     "institution": "br-mj", "country": "BR", "type": "partner_peer",
     "languages": {"pt": "C2", "es": "C1", "en": "B2"}, "themes": {"irregular_migration_thb": 3, "horizontal": 2}, "years_experience": 13},
    {"name": "Guadalupe Ríos Mendoza", "email": "guadalupe.rios@demo.peerflow.org", "gender": "female", "nationality": "MX",
     "institution": "mx-inm", "country": "MX", "type": "partner_peer",
     "languages": {"es": "C2", "en": "C1"}, "themes": {"irregular_migration_thb": 3, "horizontal": 2}, "years_experience": 15},
]
# gender: female|male|other. type: ms_official|partner_peer|academic|ngo|international_organisation. CEFR: A1..C2.

REQUESTS = [   # open requests, invented
    {"institution": "pe-requester", "title": "Document security at the northern border crossings",
     "theme": "irregular_migration_thb",
     "description": "MININTER wishes to strengthen the detection of forged travel documents at the Tumbes and Piura border crossings. We request peer support to assess current practice and to train border police and migration staff on document examination.",
     "status": "draft", "clarification": None, "decline_reason": None, "submitted": None},
    {"institution": "pe-requester", "title": "Updating the National Plan against Trafficking in Persons",
     "theme": "irregular_migration_thb",
     "description": "The current national anti-trafficking plan ends in 2027. We ask for support from EU peers to evaluate it and to draft the next plan, building on the monitoring and evaluation handbook produced with MIEUX in 2016.",
     "status": "submitted", "clarification": None, "decline_reason": None, "submitted": "2026-10-02"},
    {"institution": "pe-requester", "title": "Labour market insertion of Venezuelan migrants",
     "theme": "legal_migration_mobility",
     "description": "Many Venezuelan nationals with temporary permits work informally. We would like to learn how EU Member States recognise skills and qualifications and link migrants to public employment services.",
     "status": "clarification_requested",
     "clarification": "Which institution would lead this work (Ministry of Labour or MININTER), and is the Ministry of Labour ready to take part as co-beneficiary?",
     "decline_reason": None, "submitted": "2026-09-14"},
    {"institution": "bo-requester", "title": "Online course for consular staff on migrants' rights",
     "theme": "horizontal",
     "description": "Building on the 2010 manual 'EU Migration and Asylum Matters for Consular Use', the Directorate wishes to develop an online course so that staff at all consular posts can be trained. We ask for experts in consular assistance and e-learning design.",
     "status": "under_review", "clarification": None, "decline_reason": None, "submitted": "2026-10-20"},
    {"institution": "bo-requester", "title": "Biometric passport readers for consulates",
     "theme": "irregular_migration_thb",
     "description": "We request the purchase and installation of biometric document readers for the consulates in Buenos Aires, São Paulo and Madrid, together with staff training.",
     "status": "declined", "clarification": None,
     "decline_reason": "MIEUX+ offers peer-to-peer expertise and cannot fund equipment. A request limited to training consular staff on document verification would be welcome.",
     "submitted": "2026-08-03"},
    {"institution": "ec-mremh", "title": "Reintegration of returning Ecuadorian migrants",
     "theme": "migration_development",
     "description": "Ecuador receives growing numbers of returnees from the United States and Europe. We ask for EU peer experience in designing reintegration services and in involving local governments.",
     "status": "submitted", "clarification": None, "decline_reason": None, "submitted": "2026-11-05"},
    {"institution": "gt-igm", "title": "Identification of persons in need of international protection at the border",
     "theme": "international_protection_asylum",
     "description": "The Guatemalan Migration Institute wants to improve how its border officers identify and refer asylum seekers and other vulnerable migrants. We request a training of trainers and support in drafting standard operating procedures.",
     "status": "under_review", "clarification": None, "decline_reason": None, "submitted": "2026-10-27"},
]


if __name__ == "__main__":
    import re
    from datetime import date

    TODAY = date(2026, 11, 23)
    THEMES = {
        "irregular_migration_thb": {"thb", "border_management", "visa_policy", "som", "document_security"},
        "legal_migration_mobility": {"labour_migration", "integration", "free_movement"},
        "migration_development": {"development_planning", "diaspora_engagement", "remittances", "brain_drain_gain"},
        "international_protection_asylum": {"refugee_integration", "forced_displacement"},
        "horizontal": {"migration_health", "migration_climate", "data_management", "gender", "human_rights",
                       "unaccompanied_minors", "consular_affairs", "capacity_development", "policy_strategy",
                       "public_communication"},
    }
    SUBTOPICS = set().union(*THEMES.values())
    KINDS = {"assessment_mission", "fact_finding_mission", "mapping_mission", "workshop", "seminar", "training",
             "training_of_trainers", "study_visit", "working_group_session", "information_session",
             "coordination_session", "round_table", "long_distance_assistance", "deliverable_drafting"}
    ASSESSMENT = {"assessment_mission", "fact_finding_mission", "mapping_mission"}
    ROLES = {"lead_expert", "expert", "trainer"}
    DELIVERABLES = {"handbook", "manual", "training_curriculum", "national_plan", "protocol", "guidelines", "study",
                    "e_learning_module"}
    INST_KINDS = {"partner_administration", "ms_administration", "regional_organisation", "academia", "ngo",
                  "international_organisation"}
    LANGS = {"es", "en", "pt", "fr", "it", "de", "nl", "sv", "el", "ga", "mt", "ca"}
    CEFR = {"A1", "A2", "B1", "B2", "C1", "C2"}
    REGIONAL = {"SICA", "MERCOSUR", "IberRed", "MIRPS", "Gran Chaco"}
    REMOVED = {"Costa Rica III", "Dominican Republic", "Mexico III"}  # wholly invented, taken out
    iso = re.compile(r"^[A-Z]{2}$")
    d = date.fromisoformat

    # institutions
    keys = [i["key"] for i in INSTITUTIONS]
    assert len(keys) == len(set(keys)), "duplicate institution key"
    assert len({(i["name"], i["country"]) for i in INSTITUTIONS}) == len(INSTITUTIONS), "duplicate institution"
    for i in INSTITUTIONS:
        assert i["kind"] in INST_KINDS and iso.match(i["country"]), i
    inst = {i["key"]: i for i in INSTITUTIONS}
    for k in ("pe-requester", "bo-requester", "es-mir", "ec-mremh", "gt-igm"):
        assert k in inst, k
    assert inst["es-mir"]["country"] == "ES" and inst["es-mir"]["kind"] == "ms_administration"
    referenced = set()

    # actions
    names = [a["name"] for a in ACTIONS]
    assert len(names) == len(set(names)), "duplicate Action name"
    assert len(ACTIONS) >= 25 and "Peru II" not in names
    n_act = 0
    for a in ACTIONS:
        n = a["name"]
        assert isinstance(a["invented"], list), n
        assert a["theme"] in THEMES and set(a["subtopics"]) <= SUBTOPICS, n
        assert a["regional"] == (n in REGIONAL), n
        assert (a["country"] is None) if a["regional"] else bool(iso.match(a["country"])), n
        assert a["status"] in {"accepted", "assessment", "implementation", "closed"}, n
        assert a["beneficiaries"] and a["expert_institutions"], n
        for k in a["beneficiaries"] + a["expert_institutions"]:
            assert k in inst, (n, k)
            referenced.add(k)
        assert a["objective"] and a["title"], n  # the summary only where the documents give one
        start, end = d(a["start"]), d(a["end"]) if a["end"] else None
        assert end is None or end >= start, n
        for act in a["activities"]:
            n_act += 1
            t = (n, act["title"])
            assert act["kind"] in KINDS and act["status"] in {"planned", "reported", "cancelled"}, t
            s, e = d(act["start"]), d(act["end"])
            assert e >= s and s >= start and (end is None or e <= end), t
            if act["kind"] == "long_distance_assistance":
                assert act["remote"] is True and act["city"] is None and act["country"] is None, t
            else:
                assert act["remote"] is False and act["city"] and iso.match(act["country"]), t
            assert act["languages"] and set(act["languages"]) <= LANGS, t
            assert act["slots"], t
            for sl in act["slots"]:
                assert sl["role"] in ROLES and sl["theme"] in THEMES and sl["language"] in LANGS and sl["count"] >= 1, t
            if act["status"] == "reported":
                assert e < TODAY and act["report"] and sum(act["participants"].values()) > 0, t
            if act["status"] == "planned":
                assert s > TODAY, t
            if act["status"] == "cancelled":
                assert act.get("reason") and s < TODAY, t
            assert isinstance(act["invented"], list), t
        for dl in a["deliverables"]:
            assert dl["kind"] in DELIVERABLES and dl["language"] in LANGS and d(dl["date"]) <= TODAY, (n, dl)
        assessed = any(x["kind"] in ASSESSMENT and x["status"] == "reported" for x in a["activities"])
        if a["status"] in {"implementation", "closed"}:
            assert assessed or (a["assessment_waiver"] or "").strip(), n
        assert not (assessed and a["assessment_waiver"]), f"{n}: waiver given although assessed"
        if a["status"] == "closed":
            assert end and end < TODAY, n
            assert all(x["status"] in {"reported", "cancelled"} for x in a["activities"]), n
            fr = a["final_report"]
            assert fr and fr["results"] and fr["lessons_learned"], n
            assert all(isinstance(fr[f], int) and fr[f] >= 0 for f in
                       ("officials_trained_female", "officials_trained_male", "institutions_reached")), n
        else:
            assert a["final_report"] is None, n
            assert all(x["status"] != "cancelled" for x in a["activities"]), n
            assert any(x["status"] == "planned" and x["start"].startswith("2027") for x in a["activities"]), n
            if d(a["start"]) < date(2009, 1, 1) or d(a["start"]).year < 2024:
                raise AssertionError(f"{n}: ongoing Action starting before the current phase")
    assert n_act >= 45, n_act
    by = {a["name"]: a for a in ACTIONS}
    for old in names:
        if d(by[old]["start"]).year <= 2023:
            assert by[old]["status"] == "closed", old
    # the Actions the current phase's overview describes as under way are running
    assert {k: by[k]["status"] for k in ("Gran Chaco", "Colombia II", "Costa Rica IV", "El Salvador II")} == {
        "Gran Chaco": "implementation", "Colombia II": "implementation", "Costa Rica IV": "implementation",
        "El Salvador II": "implementation"}
    assert not REMOVED & set(names), REMOVED & set(names)
    assert "Paraguay I" in names and by["IberRed"]["beneficiaries"] == ["iberred-prosecutors"]
    for a in ACTIONS:  # wholly invented activities only where a running Action needs planned work
        assert a["status"] != "closed" or all(x["invented"] != ["*"] for x in a["activities"]), a["name"]
        assert all(dl["invented"] != ["*"] for dl in a["deliverables"]), a["name"]
    for ongoing in ("Gran Chaco", "Colombia II"):
        assert any(x["status"] == "reported" and x["kind"] in ASSESSMENT for x in by[ongoing]["activities"]), ongoing
    assert all(x["status"] == "planned" for x in by["El Salvador II"]["activities"])

    # required facts
    pe = by["Peru"]
    assert pe["theme"] == "irregular_migration_thb" and pe["start"] == "2013-04-01"
    assert "pe-requester" in pe["beneficiaries"] and "pe-requester" in by["Peru III"]["beneficiaries"]
    assert any(x["kind"] == "fact_finding_mission" and x["start"].startswith("2013-04") and x["city"] == "Lima"
               and x["status"] == "reported" for x in pe["activities"])
    assert any(x["kind"] == "workshop" and x["start"].startswith("2013-09") for x in pe["activities"])
    assert any(x["kind"] == "study_visit" and x["start"].startswith("2015-03") and x["city"] == "Buenos Aires"
               and x["country"] == "AR" for x in pe["activities"])
    assert any(x["kind"] == "workshop" and x["start"].startswith("2015-07") and "monitoring" in x["title"].lower()
               for x in pe["activities"])
    assert any(dl["kind"] == "handbook" and "monitoring and evaluation" in dl["title"].lower() for dl in pe["deliverables"])
    cr = by["Costa Rica"]
    assert (cr["start"], cr["end"]) == ("2011-10-01", "2013-03-31")
    assert any(x["kind"] == "assessment_mission" and x["start"].startswith("2012-02") and 10 <= int(x["start"][8:]) <= 20
               for x in cr["activities"])
    assert any(x["kind"] == "training_of_trainers" and x["start"].startswith("2012-06") for x in cr["activities"])
    assert any(dl == {**dl, "kind": "national_plan", "title": "National Integration Plan of Costa Rica 2013-2017",
                      "date": "2013-03-01"} for dl in cr["deliverables"])
    assert by["Bolivia"]["beneficiaries"] == ["bo-requester"]
    assert any(dl["title"] == "EU Migration and Asylum Matters for Consular Use" for dl in by["Bolivia"]["deliverables"])
    assert len([dl for dl in by["Colombia"]["deliverables"] if dl["kind"] == "manual"]) == 2
    assert any(dl["kind"] == "protocol" and dl["date"].startswith("2017-11") for dl in by["IberRed"]["deliverables"])
    assert "755" in by["Mexico II"]["final_report"]["results"]

    # experts
    emails = [x["email"] for x in EXPERTS]
    assert 25 <= len(EXPERTS) <= 35 and len(emails) == len(set(emails))
    for x in EXPERTS:
        assert x["email"].endswith("@demo.peerflow.org"), x["email"]
        assert x["gender"] in {"female", "male", "other"} and iso.match(x["nationality"]) and iso.match(x["country"])
        assert x["type"] in {"ms_official", "partner_peer", "academic", "ngo", "international_organisation"}
        assert x["institution"] in inst, x["institution"]
        referenced.add(x["institution"])
        assert set(x["languages"]) <= LANGS and set(x["languages"].values()) <= CEFR, x["email"]
        assert set(x["themes"]) <= set(THEMES) and all(1 <= v <= 3 for v in x["themes"].values()), x["email"]
    me = next(x for x in EXPERTS if x["email"] == "expert@demo.peerflow.org")
    assert me["institution"] == "es-mir" and me["languages"] == {"es": "C2", "en": "C1", "fr": "B2"}
    assert me["themes"].get("irregular_migration_thb") == 3
    used_expert_inst = {k for a in ACTIONS for k in a["expert_institutions"]}
    assert used_expert_inst <= {x["institution"] for x in EXPERTS}, used_expert_inst - {x["institution"] for x in EXPERTS}

    # requests
    assert len(REQUESTS) == 7
    for r in REQUESTS:
        assert r["institution"] in inst and r["theme"] in THEMES, r["title"]
        referenced.add(r["institution"])
        assert r["status"] in {"draft", "submitted", "under_review", "clarification_requested", "declined"}
        assert bool(r["clarification"]) == (r["status"] == "clarification_requested"), r["title"]
        assert bool(r["decline_reason"]) == (r["status"] == "declined"), r["title"]
        assert (r["submitted"] is None) == (r["status"] == "draft"), r["title"]
        assert r["submitted"] is None or d(r["submitted"]) < TODAY
    st = lambda k: sorted(r["status"] for r in REQUESTS if r["institution"] == k)  # noqa: E731
    assert st("pe-requester") == ["clarification_requested", "draft", "submitted"]
    assert st("bo-requester") == ["declined", "under_review"]
    assert st("ec-mremh") and st("gt-igm")
    assert referenced == set(inst), set(inst) - referenced

    print(f"institutions: {len(INSTITUTIONS)}  actions: {len(ACTIONS)}  activities: {n_act}  "
          f"deliverables: {sum(len(a['deliverables']) for a in ACTIONS)}  experts: {len(EXPERTS)}  "
          f"requests: {len(REQUESTS)}")
    for status in ("closed", "implementation", "assessment", "accepted"):
        print(f"  {status}: {sum(a['status'] == status for a in ACTIONS)}")
    for status in ("reported", "planned", "cancelled"):
        print(f"  activities {status}: {sum(x['status'] == status for a in ACTIONS for x in a['activities'])}")
    print("OK")
