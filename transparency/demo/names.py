"""Fictional names from Indonesian naming traditions, as they are written on a ballot paper.

Each tradition knows its given names, its family names or clans (Batak marga, Minahasa and
Papuan clans), its honorifics (Andi, Teuku, Cut, Lalu, Baiq, Ida Bagus, I Gusti) and its
religion, which decides whether a pilgrim's "H."/"Hj." or a pastor's "Pdt." can appear.
Which tradition a candidate is drawn from depends on the province (`traditions_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

MUSLIM = "muslim"
CHRISTIAN = "christian"
HINDU = "hindu"
MIXED = "mixed"


@dataclass(frozen=True)
class Tradition:
    key: str
    religion: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    # second names (Javanese, Sundanese) or family names / clans (Batak, Minahasa, Papua)
    family: tuple[str, ...] = ()
    family_always: bool = False
    # second names only women carry (Javanese -wati, -ningsih); men then take `family`
    female_family: tuple[str, ...] = ()

    def given(self, rng: Random, woman: bool) -> str:
        return rng.choice(self.female if woman else self.male)

    def second(self, rng: Random, woman: bool) -> str:
        return rng.choice(self.female_family if woman and self.female_family else self.family)


def _t(words: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in words.split(",") if word.strip())


ARAB_MALE = _t(
    "Muhammad, Ahmad, Abdul Rahman, Abdullah, Rizki, Fauzi, Hasan, Husain, Ibrahim, Ismail, "
    "Yusuf, Zainal Abidin, Syamsuddin, Nurdin, Hidayatullah, Fadli, Firdaus, Hamzah, Ilham, "
    "Kamaruddin, Lukman Hakim, Mahmud, Nasrullah, Rahmat, Ridwan, Saiful, Taufik, Usman, "
    "Abdul Wahid, Zulkarnain, Arif, Faisal, Anwar, Fathurrahman, Jamaluddin, Amiruddin, Mansur, "
    "Syarifuddin, Aminullah, Khairul Anam, Misbahul Munir, Abdul Gafur, Hafidz, Imron"
)
ARAB_FEMALE = _t(
    "Aisyah, Fatimah, Khadijah, Nurul Huda, Siti Aminah, Siti Maryam, Zainab, Halimah, Salmah, "
    "Rahmawati, Nur Aini, Laila, Hafsah, Rabiah, Ummu Kalsum, Annisa, Fitriyah, Zahra, Nadia, "
    "Mardhiyah, Nurjannah, Latifah, Munawaroh, Siti Khotimah, Nur Azizah, Hamidah, Rohmah"
)
ARAB_FAMILY = _t(
    "Hidayat, Rahman, Hakim, Syafi'i, Ramadhan, Maulana, Fauzan, Nasution, Al-Habsyi, Assegaf, "
    "Alatas, Al-Jufri, Bafagih, Abdullah, Mubarok, Hasibuan, Ma'arif, Zuhri, Anshori, Fikri"
)

TRADITIONS: dict[str, Tradition] = {
    "jawa": Tradition(
        "jawa",
        MUSLIM,
        _t(
            "Agus, Bambang, Budi, Joko, Slamet, Sugeng, Wahyu, Hadi, Heru, Eko, Dwi, Tri, Bayu, "
            "Teguh, Sutrisno, Suparman, Setyo, Yudi, Aris, Rudi, Dimas, Galih, Arif, Gunawan, "
            "Sutopo, Marsono, Sukirno, Purwanto, Edi, Bagus, Hendro, Sigit, Tejo, Wawan, Yoga, "
            "Anang, Catur, Darmaji, Sumarno, Puguh, Ari, Danang, Krisna"
        ),
        _t(
            "Sri, Endang, Dewi, Rini, Wulan, Ratna, Tutik, Siti, Sulastri, Suryani, Yuliani, "
            "Retno, Kartika, Ayu, Puji, Dyah, Titik, Indah, Novi, Sumarni, Yuni, Anik, Erna, "
            "Wiwik, Tri, Dwi, Ambar, Kusmiyati, Partini, Lestiana, Sekar, Galuh"
        ),
        _t(
            "Prasetyo, Nugroho, Wibowo, Santoso, Susilo, Haryanto, Purnomo, Kuncoro, Hartono, "
            "Setiawan, Saputro, Wicaksono, Handoko, Kurniawan, Utomo, Raharjo, Suryono, "
            "Mulyono, Sudarsono, Hidayat, Nugraha, Firmansyah"
        ),
        female_family=_t(
            "Rahayu, Lestari, Handayani, Astuti, Purwaningsih, Setyaningsih, Widyastuti, "
            "Kusumawati, Wahyuni, Nurhayati, Anggraeni, Pratiwi, Susanti, Wardhani, Rahmawati, "
            "Ningsih, Puspitasari, Kurniasari"
        ),
    ),
    "sunda": Tradition(
        "sunda",
        MUSLIM,
        _t(
            "Asep, Ujang, Dadang, Dede, Cecep, Ade, Aep, Encep, Iwan, Yayan, Dadan, Deden, "
            "Engkus, Jajang, Mamat, Ayi, Rahmat, Agus, Dani, Enjang, Oman, Ridwan, Yana, Nandang"
        ),
        _t(
            "Euis, Neneng, Imas, Cucu, Yeyen, Tati, Enok, Iis, Lilis, Nining, Ai, Eneng, Rina, "
            "Ela, Nia, Yanti, Teti, Wiwin, Entin, Yayah, Dewi, Rosita"
        ),
        _t(
            "Sunarya, Supriatna, Hidayat, Permana, Kurniawan, Saputra, Suryana, Gumilar, Ruhiyat, "
            "Sopandi, Setiawan, Mulyana, Sudrajat, Kusnadi, Nugraha, Rustandi, Suherman, "
            "Wiradinata, Juhana, Solihin"
        ),
        female_family=_t(
            "Nurhasanah, Rosmiati, Kurniasih, Sumiati, Rahmawati, Fitriani, Komalasari, "
            "Herawati, Sukmawati, Maryani, Nurjanah, Permatasari"
        ),
    ),
    "batak": Tradition(
        "batak",
        CHRISTIAN,
        _t(
            "Robert, Jhonson, Benny, Marihot, Tigor, Parlindungan, Hotman, Togar, Martua, Binsar, "
            "Sahat, Hasudungan, Poltak, Bonar, Maruli, Janter, Rudolf, Hendrik, Darwin, Parulian, "
            "Sabar, Lamhot, Jonggi, Tumpal, Rikardo"
        ),
        _t(
            "Rosmawati, Tiurma, Nurcahaya, Lasma, Dame, Rotua, Tiomsi, Rospita, Marlina, Ruth, "
            "Debora, Elisabeth, Hotnida, Sondang, Romauli, Tetty, Lisbeth, Nurmaida, Duma"
        ),
        _t(
            "Simanjuntak, Siregar, Sitompul, Hutapea, Hutagalung, Panjaitan, Sinaga, Situmorang, "
            "Silalahi, Simatupang, Pardede, Manurung, Sitorus, Tambunan, Pasaribu, Sihombing, "
            "Siahaan, Nainggolan, Butar-butar, Ginting, Sembiring, Tarigan, Purba, Saragih, "
            "Damanik, Sianturi, Hutauruk, Napitupulu, Marpaung, Lumbantobing, Perangin-angin"
        ),
        family_always=True,
    ),
    "mandailing": Tradition(
        "mandailing",
        MUSLIM,
        ARAB_MALE,
        ARAB_FEMALE,
        _t(
            "Nasution, Lubis, Harahap, Siregar, Daulay, Rangkuti, Pohan, Batubara, Hasibuan, "
            "Pulungan"
        ),
        family_always=True,
    ),
    "minang": Tradition(
        "minang",
        MUSLIM,
        _t(
            "Afrizal, Zulkifli, Syahrial, Erman, Irwan, Zainal, Fadli, Nasrul, Yuliandri, "
            "Syafrizal, Hendri, Novrizal, Asrul, Ferdinal, Zulhendri, Jasman, Masrul, Rusdi"
        ),
        _t(
            "Yulnita, Desi, Yenny, Rahmi, Fitri, Yusnimar, Nurhasni, Asmaniar, Rosnelly, Yeni, "
            "Elvira, Syafrida, Marlis, Yusniar, Nelmawati, Desmawati, Rosmaini"
        ),
        _t("Syafri, Zainal, Arif, Putra, Efendi, Hamdani, Syahputra, Yunus, Amir, Salim, Nurdin"),
        female_family=_t("Putri, Yanti, Syafitri, Wati, Marlina, Hayati, Sari, Ningsih"),
    ),
    "melayu": Tradition(
        "melayu",
        MUSLIM,
        _t(
            "Syahrul, Azwar, Hendri, Erwin, Zulkarnain, Junaidi, Darmansyah, Rusli, Syamsul Bahri, "
            "Khairil, Mahyudin, Rizal, Herman, Yusran, Tengku Said, Raden Ahmad, Kemas Ali, "
            "Masagus Hasan, Gusti Iskandar, Syarif Hamid"
        ),
        _t(
            "Rosmaniar, Nurlela, Asmah, Zuraidah, Yusnani, Hasnah, Mardiana, Rosdiana, Nurbaiti, "
            "Zubaidah, Elly, Yanti, Tengku Nurlaila, Raden Ayu Fitri, Syarifah Aminah"
        ),
        _t("Effendi, Syahputra, Saputra, Hamid, Usman, Yusuf, Rahman, Ismail, Harun, Daud, Saleh"),
    ),
    "aceh": Tradition(
        "aceh",
        MUSLIM,
        _t(
            "Teuku Rizal, Zulfikar, Fakhrurrazi, Iskandar, Mukhlis, Safrizal, Azhari, Nasruddin, "
            "Khairul, Husaini, Taufiq, Mahdi, Yusri, Murdani, Saifullah, Bukhari, Teuku Fadli, "
            "Tgk. Munawar, Tgk. Zulkifli, Teuku Hafiz, Razali, Marzuki"
        ),
        _t(
            "Cut Nurul, Nurul Akmal, Rahmah, Nurhayati, Cut Sari, Syarifah, Ummi, Fatimah, "
            "Asmaul Husna, Nurjannah, Raudhatul Jannah, Putri, Rosnani, Cut Rahmi, Cut Yusnidar"
        ),
        _t("Ibrahim, Ilyas, Abdullah, Ismail, Daud, Hasan, Yunus, Amin, Sulaiman, Idris, Harun"),
    ),
    "arab": Tradition("arab", MUSLIM, ARAB_MALE, ARAB_FEMALE, ARAB_FAMILY),
    "bugis": Tradition(
        "bugis",
        MUSLIM,
        _t(
            "Andi Muhammad, Andi Baso, Andi Ilham, Andi Syamsul, Syamsul, Rahman, Amiruddin, "
            "Syahrir, Baharuddin, Jamaluddin, Muhtar, Arifin, Haerul, Sulkifli, Ilham, Taufik, "
            "Rusdi, Basri, Ansar, Mappatoba, Asriadi, Nasrullah, Sainal"
        ),
        _t(
            "Andi Nurhayati, Andi Sitti, Hasnah, Nurjannah, Sitti Hajar, Hasmawati, Rosmini, "
            "Nurlina, Hamsiah, Darmawati, Suriani, Kartini, Andi Rahmawati, Nurhaedah, Sitti Rabiah"
        ),
        _t(
            "Daeng Ngemba, Daeng Situju, Mappangara, Pawellangi, Hamzah, Latif, Sanusi, Saleh, "
            "Yusuf, Haris, Malik, Karim, Sainuddin, Husain, Tahir, Ramli"
        ),
    ),
    "buton": Tradition(
        "buton",
        MUSLIM,
        _t("La Ode Muhammad, La Ode Ahmad, La Ode Kadir, Laode Syarif, Hasan, Sahrul, Muliadi"),
        _t("Wa Ode Nurhayati, Wa Ode Sitti, Wa Ode Asma, Hasniati, Nurmiati, Sitti Zaenab"),
        _t("Ali, Husein, Abdullah, Rahman, Saleh, Halim, Karim, Yusuf"),
    ),
    "bali": Tradition(
        "bali",
        HINDU,
        _t(
            "Suardana, Astawa, Sudarsana, Wirawan, Mahendra, Artawan, Budiasa, Parwata, Sukadana, "
            "Widiana, Suarjaya, Adnyana, Antara, Darmayasa, Gunawan, Sudiarta, Wiratama, Arsana"
        ),
        _t(
            "Ariani, Sukerti, Suartini, Sumerti, Dwi Lestari, Suarniti, Suastini, Sriani, "
            "Rusmini, Wiryani, Ardani, Puspawati, Sudiartini, Mertasari, Juliantari"
        ),
    ),
    "sasak": Tradition(
        "sasak",
        MUSLIM,
        _t(
            "Lalu Muhammad, Lalu Sudirman, Lalu Ahmad, Lalu Wirajaya, Sahnan, Mahrup, Zaini, "
            "Muhammad Zaini, Suhaili, Johan, Najamuddin, Mahsun, Rumaksi, Hairul"
        ),
        _t(
            "Baiq Nurhidayati, Baiq Mardiana, Baiq Diah, Baiq Isvie, Nurul Adha, Rabiatun, "
            "Sri Hastuti, Hajratun, Mardiah, Nurhalimah"
        ),
        _t("Hamdi, Irfan, Khalid, Mashur, Fathul, Rosyidi, Syamsi, Amrullah, Junaidi"),
    ),
    "papua": Tradition(
        "papua",
        CHRISTIAN,
        _t(
            "Yohanis, Yakobus, Markus, Yonas, Daniel, Habel, Natalis, Frans, Agustinus, Marthen, "
            "Elias, Silas, Lukas, Benyamin, Herman, Otniel, Yermias, Paulus, Yulianus, Nikolaus"
        ),
        _t(
            "Yuliana, Maria, Agustina, Susana, Naomi, Ester, Ribka, Martha, Yosina, Fransina, "
            "Dorkas, Selfina, Magdalena, Yohana, Elsina, Adolfina"
        ),
        _t(
            "Wenda, Tabuni, Wonda, Murib, Kogoya, Telenggen, Rumbiak, Mandowen, Rumbewas, Awom, "
            "Yoku, Ohee, Wanggai, Rumaropen, Korwa, Ansaka, Womsiwor, Gebze, Mahuze, Kaize, "
            "Ndiken, Pigai, Mote, Gobai, Douw, Tebai, Magai, Kambu, Malak, Ulimpa, Mandacan, "
            "Iba, Indou, Wonggor, Asso, Wetipo, Kossay, Lokbere, Sawaki, Fatem, Kalami"
        ),
        family_always=True,
    ),
    "ntt": Tradition(
        "ntt",
        CHRISTIAN,
        _t(
            "Yohanes, Fransiskus Xaverius, Petrus, Benediktus, Yosef, Kornelis, Yulius, "
            "Hironimus, Aloysius, Ferdinandus, Marianus, Stanislaus, Emanuel, Gabriel, Wilhelmus"
        ),
        _t(
            "Maria Goreti, Yuliana, Fransiska, Kristina, Anastasia, Veronika, Yasinta, Getrudis, "
            "Florentina, Agnes, Maria Magdalena, Theresia, Emerensiana"
        ),
        _t(
            "Laka, Tallo, Lado, Bria, Nope, Manek, Seran, Dethan, Bere, da Costa, Fernandez, "
            "Parera, da Silva, Wangge, Lewa, Mbete, Ndoen, Taopan, Amalo, Messakh, Pandie, "
            "Bessie, Kore, Kolo, Ratu, Djawa, Rihi"
        ),
        family_always=True,
    ),
    "minahasa": Tradition(
        "minahasa",
        CHRISTIAN,
        _t(
            "Stevanus, Ronald, Jeffry, Hendrik, Johny, Frangky, Rio, Vicky, Arthur, Herry, "
            "Richard, Marthen, Decky, Jerry, Alfrets, Noldy"
        ),
        _t(
            "Grace, Meiske, Vivi, Jull, Linda, Henny, Marlyn, Femmy, Deysi, Lydia, Stella, "
            "Christy, Sintje, Nova, Jeane"
        ),
        _t(
            "Lumintang, Wenas, Sondakh, Rumengan, Pangemanan, Tumbelaka, Mandagi, Runtuwene, "
            "Kawengian, Karundeng, Lontoh, Sumampouw, Tangkilisan, Supit, Rondonuwu, Mantiri, "
            "Tumewu, Walandouw, Kalalo, Kaunang, Rampengan, Pinontoan"
        ),
        family_always=True,
    ),
    "maluku": Tradition(
        "maluku",
        MIXED,
        _t(
            "Johanis, Semuel, Melky, Jacob, Hendrik, Abdul Haris, Usman, Ismail, Rizal, "
            "Benhur, Marthinus, Said, Ronny"
        ),
        _t(
            "Martha, Elisabeth, Margaretha, Everdina, Welhelmina, Fatma, Hadija, Salma, "
            "Yuliana, Novita, Nurhayati"
        ),
        _t(
            "Pattiasina, Latuconsina, Tuhumury, Sahetapy, Manuputty, Huwae, Leiwakabessy, "
            "Tanamal, Wattimena, Pattipeilohy, Lessy, Ohorella, Marasabessy, Tuasikal, "
            "Rumalutur, Loupatty, Nanlohy, Sopacua, Tuanakotta, Kaliky"
        ),
        family_always=True,
    ),
    "dayak": Tradition(
        "dayak",
        CHRISTIAN,
        _t(
            "Agustinus, Yohanes, Stefanus, Fransiskus, Markus, Lambertus, Simon, Petrus, "
            "Adrianus, Yosafat, Martinus, Ignatius, Sabinus"
        ),
        _t("Maria, Yustina, Veronika, Theresia, Katarina, Lusia, Yosefina, Regina, Fransiska"),
        _t(
            "Ngabut, Lawing, Djuang, Tingang, Narang, Bahen, Bungai, Dohong, Sahay, Kalang, "
            "Lumbung, Anyang, Ilun, Ajang, Jalung, Laing, Bilung, Jaung, Asang"
        ),
        family_always=True,
    ),
    "tionghoa": Tradition(
        "tionghoa",
        CHRISTIAN,  # many are Buddhist or Confucian too; what matters here: no "H."
        _t(
            "Hendra, Rudy, Jimmy, Hengky, Edy, Frans, Andreas, Kevin, Steven, Michael, Willy, "
            "Sugiarto, Tommy, Harry, Johan, Darmawan, Budiman, Felix, Yohanes"
        ),
        _t(
            "Lina, Meilani, Susan, Lanny, Linda, Veronica, Yenny, Melinda, Angelina, Shirley, "
            "Cindy, Meiliana, Fransiska, Natalia, Lily, Megawati, Vivian"
        ),
        _t(
            "Tanujaya, Tanuwijaya, Liemanto, Gosal, Winata, Hartanto, Sugianto, Wijaya, "
            "Kurniawan, Gunawan, Halim, Tjandra, Lukito, Susanto, Widjaja, Hermawan, Lienardi, "
            "Kusnadi, Setiadi, Tedja, Gozali, Oentoro"
        ),
        family_always=True,
    ),
}

BALI_ORDER = (
    ("Wayan", "Putu", "Gede"),
    ("Made", "Kadek", "Nengah"),
    ("Nyoman", "Komang"),
    ("Ketut",),
)


def _bali_name(rng: Random, tradition: Tradition, woman: bool) -> str:
    order = rng.choice(rng.choice(BALI_ORDER))
    given = tradition.given(rng, woman)
    roll = rng.random()
    if woman:
        if roll < 0.06:
            return f"Ida Ayu {order} {given}"
        if roll < 0.12:
            return f"Anak Agung Istri {given}"
        if roll < 0.18:
            return f"Desak {order} {given}"
        if order == "Gede":
            order = "Putu"
        return f"Ni Luh {order} {given}" if roll < 0.45 else f"Ni {order} {given}"
    if roll < 0.07:
        return f"Ida Bagus {order} {given}"
    if roll < 0.13:
        return f"Anak Agung Ngurah {given}"
    if roll < 0.17:
        return f"I Gusti Ngurah {given}"
    if roll < 0.21:
        return f"Cokorda Gede {given}"
    if roll < 0.26:
        return f"Dewa {order} {given}"
    return f"I {order} {given}"


def plain_name(rng: Random, tradition: Tradition, woman: bool) -> str:
    if tradition.key == "bali":
        return _bali_name(rng, tradition, woman)
    given = tradition.given(rng, woman)
    if tradition.key in ("batak", "mandailing"):
        marga = rng.choice(tradition.family)
        if woman and rng.random() < 0.6:
            return f"{given} br. {marga}"
        return f"{given} {marga}"
    if tradition.family_always:
        return f"{given} {tradition.second(rng, woman)}"
    if tradition.family and rng.random() < 0.7:
        second = tradition.second(rng, woman)
        if second not in given:
            return f"{given} {second}"
    return given


def ballot_name(
    rng: Random, plain: str, religion: str, woman: bool, age: int, prefix: str, suffix: str
) -> str:
    """Add the titles a candidate writes on the official list: academic, pilgrim, pastor."""
    titles = [prefix] if prefix else []
    if religion in (MUSLIM, MIXED) and age >= 38 and rng.random() < (0.28 if age >= 50 else 0.14):
        if not woman and rng.random() < 0.08:
            titles.append("KH.")
        else:
            titles.append("Hj." if woman else "H.")
    elif religion == CHRISTIAN and not woman and age >= 35 and rng.random() < 0.03:
        titles.append("Pdt.")
    name = " ".join([*titles, plain])
    return f"{name}, {suffix}" if suffix else name
