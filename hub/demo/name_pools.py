"""Pools of given and family names for the synthetic persons, by region of origin.

Each entry is written ``"Latin|variant|variant=local"``: the usual Latin spelling first, then
other spellings a caseworker might use (transliteration variants), then, after ``=``, the name
as written locally (another script, or Latin with diacritics). The names are common ones,
combined at random; no entry describes a real person.
"""

from __future__ import annotations

# Nepal: Devanagari.
NEPAL = {
    "female": "Sita=सीता; Gita|Geeta=गीता; Sunita|Suneeta=सुनिता; Anita=अनिता; Maya=माया; "
    "Puja|Pooja=पूजा; Laxmi|Lakshmi|Laxmee=लक्ष्मी; Sarita=सरिता; Kabita|Kavita=कविता; "
    "Rekha=रेखा; Sabina=सबिना; Mina|Meena=मीना",
    "male": "Ram=राम; Bikash|Bikas|Vikash=विकास; Suman=सुमन; Prakash=प्रकाश; Krishna|Krisna=कृष्ण; "
    "Ramesh=रमेश; Santosh|Santos=सन्तोष; Dipak|Deepak=दीपक; Anil=अनिल; Sanjay|Sanjaya=सञ्जय; "
    "Hari=हरि; Binod|Vinod=विनोद",
    "family": "Tamang=तामाङ; Gurung=गुरुङ; Shrestha|Shresta=श्रेष्ठ; Thapa=थापा; Rai=राई; "
    "Magar=मगर; Lama=लामा; Tharu=थारु; Karki=कार्की; Bhandari=भण्डारी; Sharma=शर्मा; "
    "Yadav|Yadab=यादव; Pariyar=परियार; Bishwakarma|BK|Biswokarma=विश्वकर्मा",
}

INDIA = {
    "female": "Priya; Pooja|Puja; Anjali; Sunita; Rekha; Kavita|Kabita; Lakshmi|Laxmi; Geeta|Gita; "
    "Savitri; Radha; Nisha; Sapna",
    "male": "Ravi; Amit; Raju; Sunil; Vijay; Rajesh; Manoj; Arjun; Suresh; Mahesh; Ramesh; Deepak|Dipak",
    "family": "Kumar; Singh; Yadav; Das; Patel; Sharma; Mondal|Mandal; Munda; Oraon|Oraun; Paswan",
    "family_female": "Devi; Kumari; Singh; Yadav; Das; Mondal|Mandal; Munda; Paswan",
}

# Bangladesh: Bengali script.
BANGLADESH = {
    "female": "Fatema|Fatima=ফাতেমা; Ayesha|Aysha=আয়েশা; Nasrin|Nasreen=নাসরিন; Shirin|Shireen=শিরিন; "
    "Rina|Reena=রিনা; Shapla=শাপলা; Rokeya|Rokeia=রোকেয়া; Salma=সালমা; Nazma|Najma=নাজমা; "
    "Parvin|Parveen=পারভীন; Moriom|Mariam=মরিয়ম; Shahnaz=শাহনাজ",
    "male": "Mohammad|Mohammed|Muhammad|Md=মোহাম্মদ; Rahim|Raheem=রহিম; Karim|Kareem=করিম; "
    "Hasan|Hassan=হাসান; Rafiq|Rafique=রফিক; Jamal=জামাল; Sohel|Shohel=সোহেল; Masud|Masood=মাসুদ; "
    "Alamgir=আলমগীর; Shafiq|Shafique=শফিক; Jahangir=জাহাঙ্গীর; Kamal=কামাল",
    "family": "Hossain|Hossen|Hussain|Hosen=হোসেন; Rahman|Rohman=রহমান; Islam=ইসলাম; "
    "Uddin|Uddeen=উদ্দিন; Sarkar|Sarker=সরকার; Mia|Miah=মিয়া; Chowdhury|Choudhury|Chowdhuri=চৌধুরী; "
    "Ahmed|Ahmad=আহমেদ; Das=দাস; Molla|Mollah=মোল্লা; Sheikh|Shaikh=শেখ",
    "family_female": "Akter|Akhter|Aktar=আক্তার; Begum|Begom=বেগম; Khatun|Khatoon=খাতুন; "
    "Sultana=সুলতানা; Khanam|Khanom=খানম; Rahman|Rohman=রহমান; Islam=ইসলাম; "
    "Chowdhury|Choudhury=চৌধুরী; Hossain|Hossen|Hussain=হোসেন",
}

NIGERIA = {
    "female": "Blessing; Joy; Precious; Favour|Favor; Chioma; Ngozi; Adaeze|Adaezi; Funmilayo|Funmi; "
    "Aisha|Aishat; Esther; Gift; Mercy; Osasere|Osas; Efe; Omoye; Eseosa|Esosa",
    "male": "Chinedu; Emeka; Oluwaseun|Seun; Babatunde|Tunde; Ibrahim; Musa; Chukwudi; "
    "Ifeanyi|Ifeanyichukwu; Olusegun|Segun; Osaro; Uyiosa|Uyi; Godwin; Kelechi; Samuel",
    "family": "Okafor; Okonkwo|Okonko; Adeyemi; Ogunleye; Eze; Nwosu; Bello; Abubakar; Osagie; "
    "Igbinedion|Igbinedon; Obi; Adebayo; Omoregie|Omoregbe; Ehigiator; Aigbe; Idahosa; Okoro; Uwaifo",
}

# Ukraine: Ukrainian Cyrillic; the Russian-style Latin spelling is a common variant.
UKRAINE = {
    "female": "Olena|Elena=Олена; Oksana|Oxana=Оксана; Iryna|Irina=Ірина; "
    "Nataliia|Natalia|Natalya=Наталія; Tetiana|Tetyana|Tatiana=Тетяна; Yuliia|Yulia|Julia=Юлія; "
    "Anastasiia|Anastasia=Анастасія; Svitlana|Svetlana=Світлана; Kateryna|Katerina=Катерина; "
    "Mariia|Maria=Марія; Halyna|Galina|Halina=Галина; Liudmyla|Lyudmila|Ludmila=Людмила",
    "male": "Oleksandr|Olexandr|Aleksandr=Олександр; Andrii|Andriy|Andrey=Андрій; "
    "Serhii|Serhiy|Sergey=Сергій; Dmytro|Dmitro|Dmitry=Дмитро; Volodymyr|Vladimir=Володимир; "
    "Ivan=Іван; Mykola|Nikolay=Микола; Yurii|Yuriy|Yury=Юрій; Vasyl|Vasil=Василь; "
    "Petro|Pyotr=Петро; Oleh|Oleg=Олег; Bohdan|Bogdan=Богдан",
    "family": "Kovalenko|Kowalenko=Коваленко; Shevchenko|Schewtschenko|Chevtchenko=Шевченко; "
    "Bondarenko=Бондаренко; Tkachenko|Tkatchenko=Ткаченко; Kravchenko|Krawtschenko=Кравченко; "
    "Melnyk|Melnik=Мельник; Boiko|Boyko=Бойко; Koval|Kowal=Коваль; Oliinyk|Oliynyk|Oleinik=Олійник; "
    "Moroz=Мороз; Lysenko|Lisenko=Лисенко; Marchenko=Марченко; Savchenko=Савченко; Rudenko=Руденко",
}

# Russia: Russian Cyrillic; family names take a feminine form.
RUSSIA = {
    "female": "Elena|Yelena|Jelena=Елена; Olga|Olha=Ольга; Tatiana|Tatyana|Tatjana=Татьяна; "
    "Natalya|Natalia|Nataliya=Наталья; Svetlana|Swetlana=Светлана; Irina=Ирина; Anna=Анна; "
    "Ekaterina|Yekaterina=Екатерина; Marina=Марина; Yulia|Yuliya|Julia=Юлия; Daria|Darya=Дарья; "
    "Ksenia|Kseniya|Xenia=Ксения",
    "male": "Sergei|Sergey=Сергей; Aleksandr|Alexander|Alexandr=Александр; "
    "Dmitry|Dmitri|Dmitriy=Дмитрий; Alexei|Aleksei|Alexey=Алексей; Nikolai|Nikolay=Николай; "
    "Andrei|Andrey=Андрей; Ivan=Иван; Mikhail=Михаил; Yevgeny|Evgeny|Evgeniy=Евгений; "
    "Pavel=Павел; Maxim|Maksim=Максим; Roman=Роман",
    "family": "Ivanov|Iwanow=Иванов; Smirnov|Smirnow=Смирнов; Kuznetsov|Kuznecov|Kusnezow=Кузнецов; "
    "Popov|Popow=Попов; Sokolov=Соколов; Volkov|Wolkow=Волков; Morozov=Морозов; Petrov|Petrow=Петров; "
    "Lebedev=Лебедев; Novikov=Новиков; Fedorov|Fyodorov=Федоров",
    "family_female": "Ivanova|Iwanowa=Иванова; Smirnova=Смирнова; Kuznetsova|Kuznecova=Кузнецова; "
    "Popova=Попова; Sokolova=Соколова; Volkova|Wolkowa=Волкова; Morozova=Морозова; "
    "Petrova|Petrowa=Петрова; Lebedeva=Лебедева; Novikova=Новикова; Fedorova|Fyodorova=Федорова",
}

# Syria and Iraq: Arabic script, with the many Latin spellings of the same name.
ARABIC = {
    "female": "Fatima|Fatma|Fatimah=فاطمة; Aisha|Aysha|Aicha=عائشة; Maryam|Mariam|Meryem=مريم; "
    "Zainab|Zaynab|Zeinab=زينب; Noor|Nour|Nur=نور; Layla|Leila|Laila=ليلى; Huda|Houda=هدى; "
    "Rania|Ranya=رانيا; Amira|Amirah=أميرة; Salma=سلمى; Hala=هالة; Rasha=رشا",
    "male": "Mohammed|Muhammad|Mohamed|Mohammad|Muhammed=محمد; Ahmad|Ahmed=أحمد; Ali=علي; "
    "Omar|Umar=عمر; Khaled|Khalid=خالد; Mahmoud|Mahmud=محمود; Hassan|Hasan=حسن; "
    "Hussein|Husain|Hussain=حسين; Youssef|Yusuf|Yousef=يوسف; Ibrahim|Ebrahim=إبراهيم; "
    "Mustafa|Moustafa|Mostafa=مصطفى; Abdullah|Abdallah|Abdulla=عبدالله",
    "family": "Al-Hassan|Alhassan|El Hassan=الحسن; Haddad|Hadad=حداد; Khalil|Khaleel=خليل; "
    "Saleh|Salih=صالح; Ibrahim=إبراهيم; Abbas=عباس; Hamdan=حمدان; Al-Najjar|Najjar|Alnajjar=النجار; "
    "Darwish|Darwiche=درويش; Al-Jubouri|Al-Juburi|Aljubouri=الجبوري; Al-Tamimi|Altamimi=التميمي; "
    "Mansour|Mansur=منصور; Othman|Osman|Uthman=عثمان; Al-Ahmad|Alahmad=الأحمد",
}

# Thailand: Thai script; the Royal Thai General System spelling is often a variant.
THAILAND = {
    "female": "Somying=สมหญิง; Malee|Mali=มาลี; Siriporn|Siriphon=ศิริพร; Kanya=กันยา; "
    "Pranee|Prani=ปราณี; Wanida=วนิดา; Sunisa=สุนิสา; Rattana|Ratana=รัตนา; Nittaya|Nitaya=นิตยา; "
    "Jintana|Chintana=จินตนา; Supaporn|Suphaphon=สุภาพร; Araya=อารยา",
    "male": "Somchai=สมชาย; Somsak=สมศักดิ์; Prasert|Prasoet=ประเสริฐ; Surachai=สุรชัย; "
    "Anan|Anant=อนันต์; Kittisak=กิตติศักดิ์; Wichai|Vichai=วิชัย; Boonmee|Bunmi=บุญมี; "
    "Sombat=สมบัติ; Narong=ณรงค์; Chatchai=ชาติชาย; Thanakorn|Tanakorn=ธนากร",
    "family": "Saetang|Sae-tang=แซ่ตั้ง; Srisuk|Srisook=ศรีสุข; Chaiyasit|Chaiyasith=ชัยสิทธิ์; "
    "Wongsawat|Vongsavat=วงศ์สวัสดิ์; Boonsong|Bunsong=บุญส่ง; Thongchai|Tongchai=ธงชัย; "
    "Kaewkham|Kaeokham=แก้วคำ; Rattanakorn=รัตนากร; Phromma|Promma=พรหมมา; "
    "Sukprasert|Sukprasoet=สุขประเสริฐ; Jaidee|Chaidi=ใจดี; Intarasuk|Inthasuk=อินทรสุข",
}

# Ethiopia: Ge'ez (Amharic); the second name is the father's given name.
ETHIOPIA = {
    "female": "Tigist|Tigest=ትዕግስት; Meseret|Meserat=መሰረት; Hiwot|Hiwet=ሕይወት; Selam|Salam=ሰላም; "
    "Almaz=አልማዝ; Bethlehem|Betelhem=ቤተልሔም; Mekdes|Meqdes=መቅደስ; Hanna|Hana=ሐና; "
    "Tsion|Tsiyon|Zion=ጽዮን; Aster=አስቴር; Birtukan=ብርቱካን; Genet|Ganet=ገነት",
    "male": "Abebe=አበበ; Dawit=ዳዊት; Tesfaye|Tesfay=ተስፋዬ; Getachew|Getacho=ጌታቸው; "
    "Solomon|Selomon=ሰሎሞን; Yohannes|Yohanes=ዮሐንስ; Biniam|Biniyam=ቢኒያም; Mulugeta=ሙሉጌታ; "
    "Girma=ግርማ; Kebede|Kebbede=ከበደ; Tewodros|Tewodoros=ቴዎድሮስ; Yonas=ዮናስ",
    "family": "Tadesse|Tadese=ታደሰ; Bekele|Bekelle=በቀለ; Alemu=አለሙ; Haile|Hayle=ኃይሌ; Girma=ግርማ; "
    "Worku|Werku=ወርቁ; Mengistu=መንግስቱ; Tesfaye|Tesfay=ተስፋዬ; Negash=ነጋሽ; Wolde|Welde=ወልዴ; "
    "Assefa|Asefa=አሰፋ; Desta=ደስታ",
}

# Viet Nam: the local form keeps the diacritics; the family name comes first.
VIETNAM = {
    "female": "Thi Lan=Thị Lan; Thi Huong=Thị Hương; Thi Mai=Thị Mai; Thi Hoa=Thị Hoa; "
    "Ngoc Anh=Ngọc Anh; Thu Trang; Thi Hang=Thị Hằng; Thi Thu=Thị Thu; Thanh Huyen=Thanh Huyền; "
    "Thi Nga=Thị Nga",
    "male": "Van Hung=Văn Hùng; Van Nam=Văn Nam; Minh Tuan=Minh Tuấn; Duc Anh=Đức Anh; "
    "Van Long=Văn Long; Quoc Bao=Quốc Bảo; Van Thanh=Văn Thành; Van Duc=Văn Đức; "
    "Huu Phuoc|Huu Phuc=Hữu Phước; Quang Huy",
    "family": "Nguyen|Ngyuen=Nguyễn; Tran=Trần; Le=Lê; Pham=Phạm; Hoang=Hoàng; Vu=Vũ; Dang=Đặng; "
    "Bui=Bùi; Do=Đỗ; Ngo=Ngô; Duong=Dương; Ly=Lý",
}

ROMANIA = {
    "female": "Ana; Maria; Elena; Ioana; Andreea|Andrea; Alexandra; Mihaela; Cristina; Gabriela; "
    "Florentina; Larisa|Larissa; Denisa",
    "male": "Ion|Ioan; Andrei; Alexandru; Mihai; Gheorghe|Gheorghi; Constantin; Florin; Marian; "
    "Ionut=Ionuț; Stefan=Ștefan; Catalin=Cătălin; Adrian",
    "family": "Popescu; Ionescu; Popa; Stan; Dumitru; Stoica; Rusu; Munteanu; Lacatus=Lăcătuș; "
    "Muresan=Mureșan; Taranu=Țăranu; Stanciu; Dinu; Radu",
}

PHILIPPINES = {
    "female": "Maria Cristina; Jennifer|Jenifer; Mary Grace; Rowena; Marites|Maritess; Lorna; "
    "Analyn|Annalyn; Jocelyn|Joselyn; Rosalie; Maricel|Maricell; Rhea|Ria; Jonalyn",
    "male": "Jose; Juan; Mark Anthony; Rodel; Jayson|Jason; Ronaldo; Reynaldo|Reynald; Jun; Ariel; "
    "Romeo; Joel; Ramil",
    "family": "Santos; Reyes; Cruz; Bautista; Dela Cruz|Delacruz|De la Cruz; Garcia; Mendoza; "
    "Villanueva|Villaneuva; Ramos; Aquino; Castillo; Flores; Dimaculangan; Macaraeg",
}

# Honduras: two family names, the second often dropped.
HONDURAS = {
    "female": "Maria Jose=María José; Karla; Yessenia|Yesenia; Dunia|Dunya; Sofia=Sofía; Gabriela; "
    "Daniela; Ana Lucia=Ana Lucía; Keyla|Kayla; Yolanda; Marleny|Marleni; Rosa",
    "male": "Jose Luis=José Luis; Carlos; Juan Carlos; Luis; Kevin; Jorge; Oscar=Óscar; Erick|Eric; "
    "Nelson; Wilmer|Wilmar; Edwin; Marvin",
    "family": "Hernandez=Hernández; Lopez=López; Martinez=Martínez; Rodriguez=Rodríguez; "
    "Garcia=García; Mejia=Mejía; Flores; Reyes; Cruz; Zelaya; Castro; Alvarado",
}
