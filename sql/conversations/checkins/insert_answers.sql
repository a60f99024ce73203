INSERT INTO check_in_answers (check_in_id, question_id, value_number, value_text, photo_file)
VALUES (:check_in_id, :question_id, :value_number, :value_text, :photo_file)
