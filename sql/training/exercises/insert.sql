INSERT INTO exercises (name, description, muscle_group, equipment, instructions, video_url, created_by, created_at,
                       updated_at)
VALUES (:name, :description, :muscle_group, :equipment, :instructions, :video_url, :created_by, :now, :now)
RETURNING id, name, description, muscle_group, equipment, instructions, video_url, created_by, created_at, updated_at
